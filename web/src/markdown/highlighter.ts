import highlightJs from 'highlight.js/lib/core';
import { highlightLanguage, loadLanguage } from './highlight-languages.js';
import './code-colors.css';

const ready = new Set<string>();

/**
 * Loads what highlighting `languageName` needs; false when the page has no highlighter for
 * it. This module is the lazily loaded half of code-highlighter.ts.
 */
export async function prepareLanguage(languageName: string): Promise<boolean> {
  const language = highlightLanguage(languageName);
  if (language === undefined) return false;
  if (!ready.has(language)) {
    highlightJs.registerLanguage(language, (await loadLanguage(language)).default);
    ready.add(language);
  }
  return true;
}

/** Highlighted HTML (highlight.js escapes the code), once prepareLanguage said yes. */
export function highlight(code: string, languageName: string): string | undefined {
  const language = highlightLanguage(languageName);
  if (language === undefined || !ready.has(language)) return undefined;
  return highlightJs.highlight(code, { language, ignoreIllegals: true }).value;
}
