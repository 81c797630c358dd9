import { cutText } from './cut-text.js';

/**
 * `text` in at most `maxUnits` UTF-16 code units, ending in `…` when cut: at the end of a
 * word when that keeps more than half of the room, else at a grapheme boundary (cut-text.ts).
 */
export function cutAtWord(text: string, maxUnits: number, ellipsis = '…'): string {
  if (text.length <= maxUnits) return text;
  if (maxUnits <= ellipsis.length) return cutText(text, maxUnits);
  const cut = cutText(text, maxUnits - ellipsis.length);
  const atWord = cut.replace(/\s+\S*$/, '');
  return `${atWord.length > maxUnits / 2 ? atWord : cut}${ellipsis}`;
}
