import type { KatexOptions } from 'katex';

type Katex = typeof import('katex').default;

/** Longer formulas stay as their source: KaTeX's cost grows with them. */
const maxFormulaChars = 4_000;

/**
 * KaTeX without `trust`: no \href, \url, \includegraphics or \html* commands, so a formula
 * cannot make a link or carry markup; size and macro expansion are bounded.
 */
const katexOptions: KatexOptions = { throwOnError: true, trust: false, strict: 'ignore', maxSize: 50, maxExpand: 500, output: 'htmlAndMathml' };

/** Typeset formulas by source, copied rather than typeset again when the end of a streaming answer is rendered anew. */
const typesetCacheSize = 300;

let katex: Katex | undefined;
let loading: Promise<Katex | undefined> | undefined;
const rendered = new WeakSet<Element>();
const typeset = new Map<string, Element>();

/**
 * Typesets the math placeholders under `root` (their text is the TeX source, left as it is
 * until KaTeX and its styles have loaded, or when the formula is invalid).
 */
export function renderMathIn(root: Element): void {
  const placeholders = [...root.querySelectorAll('.math-inline, .math-display')].filter((element) => !rendered.has(element));
  if (placeholders.length === 0) return;
  if (!katex) {
    loading ??= loadKatex();
    void loading.then((loaded) => {
      if (loaded && root.isConnected) renderMathIn(root);
    });
    return;
  }
  for (const element of placeholders) {
    rendered.add(element);
    const source = element.textContent ?? '';
    if (source.length > maxFormulaChars) continue;
    const displayMode = element.classList.contains('math-display');
    const key = `${displayMode ? 'display' : 'inline'}:${source}`;
    const cached = typeset.get(key);
    try {
      if (cached) {
        element.replaceChildren(...cached.cloneNode(true).childNodes);
      } else {
        katex.render(source, element as HTMLElement, { ...katexOptions, displayMode });
        if (typeset.size >= typesetCacheSize) typeset.clear();
        typeset.set(key, element.cloneNode(true) as Element);
      }
      element.classList.add('math-typeset');
    } catch (error) {
      // KaTeX's own error display writes an inline style, which the page's CSP refuses.
      element.textContent = source;
      element.classList.add('math-error');
      element.setAttribute('title', error instanceof Error ? error.message : 'This formula could not be shown');
    }
  }
}

async function loadKatex(): Promise<Katex | undefined> {
  try {
    const [module] = await Promise.all([import('katex'), import('katex/dist/katex.min.css')]);
    katex = module.default;
    return katex;
  } catch {
    return undefined;
  }
}
