/** Sentences cut from a text, and where the text not yet cut starts. */
export interface SentenceCut {
  sentences: string[];
  next: number;
}

/** What may stand between a sentence's last mark and the space after it: quotes, brackets, emphasis. */
const closers = new Set([')', ']', '"', "'", '”', '’', '»', '*', '_']);
const endMarks = new Set(['.', '!', '?', '…', '。', '！', '？']);
/** Words whose period ends no sentence. */
const abbreviation = /(?:^|[\s(])(?:e\.g|i\.e|vs|mr|mrs|ms|dr|st|cf|approx)\.$/i;
const fence = /^\s*(```|~~~)/;

/**
 * Cuts the complete sentences from `from` on (a `next` of an earlier cut, 0 at first) of a
 * markdown text that is still being written:
 * a sentence ends at `.`, `!`, `?` or `…` followed by a space (not after a list number or a
 * common abbreviation), and at each line's end; a fenced code block is one piece, cut only
 * once it is closed; nothing inside inline code ends a sentence. What is left is not known
 * to be complete until `final`, which takes it too. Pieces keep their markdown and spacing, so
 * the pieces of a growing text, cut as it grows, are the pieces of the whole text.
 */
export function cutSentences(text: string, from: number, final: boolean): SentenceCut {
  const sentences: string[] = [];
  let start = from;
  let lineStart = from === 0 ? 0 : text.lastIndexOf('\n', from - 1) + 1;
  let inFence = false;
  let inCode = false;
  const take = (end: number) => {
    const piece = text.slice(start, end);
    if (piece.trim() !== '') sentences.push(piece);
    start = end;
  };
  for (let index = from; index < text.length; index++) {
    const character = text[index]!;
    if (character === '\n') {
      const line = text.slice(lineStart, index);
      if (fence.test(line)) inFence = !inFence;
      // A fence's opening line joins the block it opens; its closing line ends it.
      if (!inFence) take(index + 1);
      lineStart = index + 1;
      inCode = false;
      continue;
    }
    if (inFence) continue;
    if (character === '`') inCode = !inCode;
    if (inCode || !endMarks.has(character)) continue;
    let after = index + 1;
    while (after < text.length && closers.has(text[after]!)) after++;
    if (after >= text.length || !/\s/.test(text[after]!)) continue;
    if (isListNumber(text.slice(lineStart, index)) || abbreviation.test(text.slice(Math.max(lineStart, index - 8), index + 1))) continue;
    // The newline after a sentence is left to end its line.
    take(text[after] === '\n' ? after : after + 1);
    index = start - 1;
  }
  if (final) take(text.length);
  return { sentences, next: start };
}

function isListNumber(lineSoFar: string): boolean {
  return /^\s*\d+$/.test(lineSoFar);
}
