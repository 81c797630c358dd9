import DOMPurify from 'dompurify';
import { useEffect, useState } from 'preact/hooks';
import { searchSessions, type SearchHit } from '../api/search-api.js';
import { formatWhen } from '../text/format.js';

export interface SearchResultsProps {
  query: string;
  onOpen: (sessionId: string, seq: number) => void;
}

const purifier = DOMPurify(window);

/**
 * A snippet as HTML with `<mark>` as its only element. The server escapes everything else
 * already; this holds even if it did not.
 */
export function snippetHtml(snippet: string): string {
  return purifier.sanitize(snippet, { ALLOWED_TAGS: ['mark'], ALLOWED_ATTR: [] });
}

const kindWords: Record<SearchHit['event_type'], string> = { user_message: 'You', assistant_message: 'Answer', title: 'Title' };

type Found = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'done'; hits: SearchHit[]; next: string | null; more: boolean };

/** The hits for `query`, best first, with older pages on demand; a hit opens its session at its message. */
export function SearchResults({ query, onOpen }: SearchResultsProps) {
  const [found, setFound] = useState<Found>({ state: 'loading' });

  useEffect(() => {
    let current = true;
    setFound({ state: 'loading' });
    searchSessions(query).then(
      (page) => current && setFound({ state: 'done', hits: page.hits, next: page.next_cursor, more: false }),
      (error: unknown) => current && setFound({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [query]);

  const more = () => {
    if (found.state !== 'done' || found.next === null) return;
    setFound({ ...found, more: true });
    searchSessions(query, found.next).then(
      (page) => setFound({ state: 'done', hits: [...found.hits, ...page.hits], next: page.next_cursor, more: false }),
      () => setFound({ ...found, more: false }),
    );
  };

  if (found.state === 'loading') return <p class="search-note muted small" role="status">Searching…</p>;
  if (found.state === 'failed') return <p class="search-note small" role="alert">{found.message}</p>;
  return (
    <div class="search-results" aria-label="Search results">
      <p class="search-note muted small" role="status">{found.hits.length === 0 ? 'Nothing found.' : `${found.hits.length}${found.next ? '+' : ''} found`}</p>
      <ol>
        {found.hits.map((hit) => (
          <li key={`${hit.session_id}:${hit.seq}:${hit.event_type}`}>
            <a
              href={`/?session=${encodeURIComponent(hit.session_id)}`}
              class="search-hit"
              data-session-id={hit.session_id}
              data-seq={hit.seq}
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                onOpen(hit.session_id, hit.seq);
              }}
            >
              <span class="search-hit-head">
                <span class="search-hit-title">{hit.title ?? hit.session_id}</span>
                <time dateTime={hit.created_at}>{formatWhen(hit.created_at)}</time>
              </span>
              <span class="search-snippet">
                <span class="search-kind">{kindWords[hit.event_type]}: </span>
                <span dangerouslySetInnerHTML={{ __html: snippetHtml(hit.snippet) }} />
              </span>
            </a>
          </li>
        ))}
      </ol>
      {found.next ? (
        <button type="button" class="button small more" onClick={more} disabled={found.more}>
          {found.more ? 'Loading…' : 'More results'}
        </button>
      ) : null}
    </div>
  );
}
