import type { MarkedExtension, Tokens } from 'marked';
import { escapeHtml } from './escape-html.js';

interface MathToken extends Tokens.Generic {
  type: 'blockMath' | 'inlineMath';
  text: string;
  display: boolean;
}

/** `$$ … $$` or `\[ … \]` on lines of their own, with no blank line inside. */
const blockMath = /^[ \t]{0,3}(?:\$\$((?:(?!\n[ \t]*\n)[\s\S])+?)\$\$|\\\[((?:(?!\n[ \t]*\n)[\s\S])+?)\\\])[ \t]*(?:\n+|$)/;
const blockMathStart = /(^|\n)[ \t]{0,3}(\$\$|\\\[)/;
/**
 * Inside a line: `$$ … $$` and `\[ … \]` (display), `\( … \)` and `$ … $` (inline). A single
 * `$` opens only before a non-space and closes only after one, not before a digit, so prices
 * ("$5 and $10") stay text.
 */
const inlineMath = /^(?:\$\$((?:\\[\s\S]|[^\\$])+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|\$(?!\s)((?:\\[\s\S]|[^\\$\n])+?)(?<!\s)\$(?!\d))/;
const inlineMathStart = /\$|\\[([]/;

/**
 * Marks math for KaTeX: each formula becomes a placeholder holding its TeX source as text,
 * typeset later by math-renderer.ts once KaTeX has loaded.
 */
export const mathExtension: MarkedExtension = {
  extensions: [
    {
      name: 'blockMath',
      level: 'block',
      start: (source: string) => {
        const match = blockMathStart.exec(source);
        return match ? match.index + match[1]!.length : undefined;
      },
      tokenizer(source: string): MathToken | undefined {
        const match = blockMath.exec(source);
        if (!match) return undefined;
        return { type: 'blockMath', raw: match[0], text: (match[1] ?? match[2]!).trim(), display: true };
      },
      renderer: (token) => `<div class="math-display">${escapeHtml((token as MathToken).text)}</div>\n`,
    },
    {
      name: 'inlineMath',
      level: 'inline',
      start: (source: string) => inlineMathStart.exec(source)?.index,
      tokenizer(source: string): MathToken | undefined {
        const match = inlineMath.exec(source);
        if (!match) return undefined;
        const display = match[1] !== undefined || match[2] !== undefined;
        return { type: 'inlineMath', raw: match[0], text: (match[1] ?? match[2] ?? match[3] ?? match[4]!).trim(), display };
      },
      renderer: (token) => {
        const math = token as MathToken;
        return `<span class="${math.display ? 'math-display' : 'math-inline'}">${escapeHtml(math.text)}</span>`;
      },
    },
  ],
};
