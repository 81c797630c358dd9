import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAtWord } from '../../src/text/cut-at-word.js';
import { cutText } from '../../src/text/cut-text.js';
import { isWellFormed } from './is-well-formed.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Where the graphemes of `text` end, 0 included. */
function boundaries(text: string): Set<number> {
  const ends = new Set([0]);
  for (const { index, segment } of graphemes.segment(text)) ends.add(index + segment.length);
  return ends;
}

const family = '👩‍👩‍👧'; // Three emoji joined by ZWJ: 8 UTF-16 units, one grapheme.
const thumbsUp = '👍🏽'; // With a skin tone: 4 units.
const accented = 'e\u0301'; // "é" as e and a combining acute accent.
const france = '🇫🇷'; // Two regional indicators: 4 units.

describe('cutText', () => {
  it('leaves a text within the limit as it is', () => {
    expect(cutText('hello', 5, '…')).toBe('hello');
    expect(cutText('', 0)).toBe('');
  });

  it('cuts ASCII at the limit, the ellipsis counted in it', () => {
    expect(cutText('hello world', 5)).toBe('hello');
    expect(cutText('hello world', 6, '…')).toBe('hello…');
  });

  it.each([
    ['a surrogate pair across the limit', `${'a'.repeat(9)}😀tail`, 10, 'a'.repeat(9)],
    ['a surrogate pair ending at the limit', `${'a'.repeat(8)}😀tail`, 10, `${'a'.repeat(8)}😀`],
    ['a ZWJ sequence', `ab${family}cd`, 6, 'ab'],
    ['a ZWJ sequence ending at the limit', `ab${family}cd`, 10, `ab${family}`],
    ['an emoji with its skin tone', `ok ${thumbsUp}!`, 5, 'ok '],
    ['a combining mark after the limit', `caf${accented}!`, 4, 'caf'],
    ['a combining mark ending at the limit', `caf${accented}!`, 5, `caf${accented}`],
    ['a pair of flags', `${france}${france}`, 6, france],
    ['CR LF', 'ab\r\ncd', 3, 'ab'],
  ])('never splits %s', (_, text, limit, expected) => {
    expect(cutText(text, limit)).toBe(expected);
  });

  it('drops a grapheme longer than the room whole, and gives only what fits of the ellipsis', () => {
    expect(cutText(family, 7)).toBe('');
    expect(cutText('hello', 2, '...')).toBe('');
    expect(cutText('hello', 3, '...')).toBe('...');
  });

  it('gives the longest prefix that fits and ends on a grapheme boundary, for any text and limit', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.array(fc.constantFrom('a', ' ', '\r', '\n', '😀', family, thumbsUp, accented, '\u0301', france, '\u200d', '\uD83D'), { maxLength: 30 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, fc.nat(60), fc.constantFrom('', '…', '...'), (input, limit, ellipsis) => {
        const cut = cutText(input, limit, ellipsis);
        expect(cut.length).toBeLessThanOrEqual(limit);
        if (input.length <= limit) {
          expect(cut).toBe(input);
          return;
        }
        if (limit < ellipsis.length) {
          expect(cut).toBe('');
          return;
        }
        expect(cut.endsWith(ellipsis)).toBe(true);
        const kept = cut.slice(0, cut.length - ellipsis.length);
        expect(input.startsWith(kept)).toBe(true);
        const ends = [...boundaries(input)].filter((end) => end <= limit - ellipsis.length);
        expect(kept.length).toBe(Math.max(...ends));
        // A lone surrogate in the input is its own grapheme; cutting adds none.
        if (isWellFormed(input)) expect(isWellFormed(kept)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('cutAtWord', () => {
  it('ends at a word when that keeps more than half, with an ellipsis', () => {
    expect(cutAtWord('the quick brown fox', 12)).toBe('the quick…');
    expect(cutAtWord('the quick brown fox', 19)).toBe('the quick brown fox');
  });

  it('cuts a long word on a grapheme boundary', () => {
    const cut = cutAtWord(`${'a'.repeat(198)}😀 tail`, 200);
    expect(cut).toBe(`${'a'.repeat(198)}…`);
    expect(isWellFormed(cut)).toBe(true);
  });
});
