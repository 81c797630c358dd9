type Highlighter = typeof import('./highlighter.js');

/** Longer code is shown plain: highlighting it would hold the page up. */
const maxHighlightedChars = 50_000;

let highlighter: Highlighter | undefined;
let loadingHighlighter: Promise<Highlighter> | undefined;
/** Language names asked for, and whether they turned out to be highlightable. */
const requested = new Map<string, boolean | 'loading'>();
const listeners = new Set<() => void>();

/**
 * Highlighted HTML for `code`, or undefined while highlight.js and the language are still
 * loading or when the page has no highlighter for the language. The first request for a
 * language starts loading it; listeners hear when it is ready, to render again.
 */
export function highlightedHtml(code: string, languageName: string): string | undefined {
  if (code.length > maxHighlightedChars) return undefined;
  const state = requested.get(languageName);
  if (state === true) return highlighter?.highlight(code, languageName);
  if (state === undefined) {
    requested.set(languageName, 'loading');
    void prepare(languageName);
  }
  return undefined;
}

/** Calls `listener` each time another language becomes ready; returns the unsubscribe. */
export function onHighlighterReady(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function prepare(languageName: string): Promise<void> {
  let ready = false;
  try {
    loadingHighlighter ??= import('./highlighter.js');
    highlighter = await loadingHighlighter;
    ready = await highlighter.prepareLanguage(languageName);
  } catch {
    // A chunk that cannot be fetched (a newer build replaced it) leaves the code plain.
  }
  requested.set(languageName, ready);
  if (ready) for (const listener of listeners) listener();
}
