import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutSentences } from '../../web/src/voice/cut-sentences.js';

/** Feeds `text` as it would stream, `step` characters at a time, and gathers the pieces cut on the way. */
function cutWhileGrowing(text: string, step: number): string[] {
  const pieces: string[] = [];
  let next = 0;
  for (let end = step; ; end = Math.min(text.length, end + step)) {
    const final = end >= text.length;
    const cut = cutSentences(text.slice(0, end), next, final);
    pieces.push(...cut.sentences);
    next = cut.next;
    if (final) return pieces;
  }
}

describe('cutting complete sentences from a growing answer', () => {
  it('cuts at sentence ends followed by a space, and keeps the unfinished rest for later', () => {
    expect(cutSentences('Hello there. How are you? I am fi', 0, false)).toStrictEqual({
      sentences: ['Hello there. ', 'How are you? '],
      next: 26,
    });
    expect(cutSentences('Hello there. How are you? I am fine.', 26, false)).toStrictEqual({ sentences: [], next: 26 });
    expect(cutSentences('Hello there. How are you? I am fine.', 26, true)).toStrictEqual({ sentences: ['I am fine.'], next: 36 });
  });

  it('waits for the character after a mark before deciding it ends a sentence', () => {
    expect(cutSentences('It costs 3.', 0, false).sentences).toStrictEqual([]);
    expect(cutSentences('It costs 3.50 dollars. Then', 0, false).sentences).toStrictEqual(['It costs 3.50 dollars. ']);
  });

  it('does not cut after list numbers, abbreviations, or inside inline code', () => {
    expect(cutSentences('1. First item\n2. Second item\n', 0, false).sentences).toStrictEqual(['1. First item\n', '2. Second item\n']);
    expect(cutSentences('Use a tool, e.g. a hammer. Done', 0, false).sentences).toStrictEqual(['Use a tool, e.g. a hammer. ']);
    expect(cutSentences('Call `a. b` now. Next', 0, false).sentences).toStrictEqual(['Call `a. b` now. ']);
  });

  it('keeps quotes, brackets and emphasis with the sentence they close', () => {
    expect(cutSentences('She said "stop." **Really!** Then', 0, false).sentences).toStrictEqual(['She said "stop." ', '**Really!** ']);
  });

  it('cuts at line ends, and takes a fenced code block whole once it is closed', () => {
    const open = '# Title\nSome code:\n```js\nconst a = 1. + 2;\n';
    expect(cutSentences(open, 0, false)).toStrictEqual({ sentences: ['# Title\n', 'Some code:\n'], next: 19 });
    const closed = `${open}\`\`\`\nAfter it. Yes`;
    expect(cutSentences(closed, 19, false)).toStrictEqual({ sentences: ['```js\nconst a = 1. + 2;\n```\n', 'After it. '], next: closed.length - 3 });
  });

  it('cuts the same pieces however the text arrives', () => {
    const word = fc.constantFrom('Hello', 'world', '**bold**', '`a.b`', 'e.g.', '3.14', 'list', '_it_', 'link [x](http://a.b/c)');
    const end = fc.constantFrom('. ', '! ', '? ', '.\n', '\n', '\n\n', ' ', '… ', '\n```\ncode. more\n```\n', '\n1. ');
    const text = fc.array(fc.tuple(word, end).map(([w, e]) => w + e), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 7 }), (whole, step) => {
        expect(cutWhileGrowing(whole, step)).toStrictEqual(cutSentences(whole, 0, true).sentences);
        // Nothing is lost but the line breaks between pieces.
        expect(cutSentences(whole, 0, true).sentences.join('').replace(/\s+/g, '')).toBe(whole.replace(/\s+/g, ''));
      }),
    );
  });
});
