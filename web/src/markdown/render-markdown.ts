import type { Token } from 'marked';
import { markdownParser } from './markdown-parser.js';
import { sanitizeHtml, sanitizeToFragment } from './sanitize-html.js';

/**
 * Markdown to HTML that is safe to insert: marked does not sanitize, so every result goes
 * through DOMPurify.
 */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(markdownParser.parse(markdown) as string);
}

/**
 * Groups of block tokens already lexed (markdown-blocks.ts), each as one sanitized
 * `.markdown-block` element, sanitized in one pass.
 */
export function renderBlocks(groups: Token[][]): Element[] {
  const wrap = (tokens: Token[]) => `<div class="markdown-block">${markdownParser.parser(tokens)}</div>`;
  const blocks = [...sanitizeToFragment(groups.map(wrap).join('')).children];
  if (blocks.length === groups.length && blocks.every((block) => block.className === 'markdown-block')) return blocks;
  // Raw HTML in the answer left a tag open (or closed one of ours): each block on its own, then.
  return groups.map((tokens) => sanitizeToFragment(wrap(tokens)).firstElementChild ?? document.createElement('div'));
}
