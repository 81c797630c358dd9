/// <reference lib="es2024.string" />

/**
 * Text PostgreSQL can hold, decided once for the socket and the store alike.
 *
 * JSON lets a client send a lone UTF-16 surrogate (`"\ud800"`), and JavaScript strings hold
 * one happily, but `jsonb` refuses it (SQLSTATE 22P02) and `text` cannot hold U+0000 at all.
 * Both are replaced with U+FFFD rather than refused: the replacement keeps the length in
 * UTF-16 units, never touches well-formed text (emoji, RTL, combining marks), and the `ack`
 * carries the replaced text, so the client learns exactly what was stored.
 */
export const replacementCharacter = '\uFFFD';

export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}

export function toStorableText(text: string): string {
  return isStorableText(text) ? text : text.toWellFormed().replaceAll('\u0000', replacementCharacter);
}
