const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` in at most `maxUnits` UTF-16 code units (what `length` counts), `ellipsis`
 * included when it had to be cut. The cut falls where a grapheme ends (what a reader sees
 * as one character: an emoji with its skin tone or ZWJ partners, a letter with its accents),
 * so a surrogate pair is never split into invalid UTF-16 and an emoji never loses half.
 * A grapheme longer than the room left is dropped whole.
 */
export function cutText(text: string, maxUnits: number, ellipsis = ''): string {
  if (text.length <= maxUnits) return text;
  const room = maxUnits - ellipsis.length;
  if (room <= 0) return ellipsis.length <= maxUnits ? ellipsis : '';
  return text.slice(0, boundaryAtOrBefore(text, room)) + ellipsis;
}

/** The last grapheme boundary at or before `index`, which is inside `text`. */
function boundaryAtOrBefore(text: string, index: number): number {
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  // Between two ASCII characters there is always a boundary, except inside CR LF.
  if (before < 0x80 && after < 0x80 && !(before === 13 && after === 10)) return index;
  // Whether `index` is a boundary depends on what precedes it and on the one code point
  // after it, so the segmenter need not read the rest of a long text.
  const segment = graphemes.segment(text.slice(0, index + 2)).containing(index);
  return segment?.index ?? index;
}
