import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SearchResultsProps } from './search-results.js';

interface Props {
  onOpen: (sessionId: string, seq: number) => void;
}

/** How long typing pauses before the search runs. */
const debounceMs = 250;

/**
 * The search box above the sessions list; Ctrl+K (Cmd+K) focuses it from anywhere, Escape
 * clears it. Results come from a part loaded on the first search, so the first page load
 * does not carry it.
 */
export function SearchBox({ onOpen }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [Results, setResults] = useState<ComponentType<SearchResultsProps> | null>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), debounceMs);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    if (query === '' || Results !== null) return;
    void import('./search-results.js').then((module) => setResults(() => module.SearchResults));
  }, [query, Results]);

  return (
    <div class="search" role="search">
      <input
        ref={input}
        type="search"
        class="search-input"
        placeholder="Search conversations (Ctrl+K)"
        aria-label="Search conversations"
        aria-keyshortcuts="Control+K Meta+K"
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && text !== '') {
            event.stopPropagation();
            setText('');
          }
        }}
      />
      {query !== '' && Results ? <Results query={query} onOpen={onOpen} /> : null}
    </div>
  );
}
