import type { Token } from 'marked';
import { markdownParser } from './markdown-parser.js';
import { sanitizeHtml } from './sanitize-html.js';

/**
 * Markdown to HTML that is safe to insert: marked does not sanitize, so every result goes
 * through DOMPurify.
 */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(markdownParser.parse(markdown) as string);
}

/** Block tokens already lexed (markdown-blocks.ts) to HTML that is safe to insert. */
export function renderTokens(tokens: Token[]): string {
  return sanitizeHtml(markdownParser.parser(tokens));
}
