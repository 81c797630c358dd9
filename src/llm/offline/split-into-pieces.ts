/**
 * Splits an answer into the pieces the offline model streams: a word with the space after it,
 * so joining the pieces gives back the text exactly.
 */
export function splitIntoPieces(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text.length > 0 ? [text] : []);
}
