import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStorableText, replacementCharacter, toStorableText } from '../../src/protocol/well-formed-text.js';

/** Any UTF-16 code unit, so lone surrogates and NULs come up as often as anything else. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const anyText = fc.string({ unit: fc.oneof(codeUnit, fc.constantFrom('\u0000', '\ud800', '\udfff', '😀', 'שלום', '\u202e')), maxLength: 200 });

describe('storable text', () => {
  it('leaves well-formed text without NUL exactly as it is: emoji, flags, RTL, combining marks', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }).filter((text) => !text.includes('\u0000')), (text) => {
        expect(toStorableText(text)).toBe(text);
      }),
    );
    expect(toStorableText('👨‍👩‍👧 🇯🇵 e\u0301 مرحبا \u202eabc')).toBe('👨‍👩‍👧 🇯🇵 e\u0301 مرحبا \u202eabc');
  });

  it('replaces each lone surrogate and NUL with one U+FFFD, keeping the length and every other unit', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const stored = toStorableText(text);
        expect(isStorableText(stored)).toBe(true);
        expect(stored).toHaveLength(text.length);
        expect(toStorableText(stored)).toBe(stored);
        for (let index = 0; index < text.length; index += 1) {
          if (stored[index] !== text[index]) expect(stored[index]).toBe(replacementCharacter);
        }
      }),
    );
    expect(toStorableText('a\ud83d b\u0000c \ude00 \ud83d\ude00')).toBe('a\uFFFD b\uFFFDc \uFFFD 😀');
  });

  it('tells storable text from text that needs replacing', () => {
    expect(isStorableText('😀 שלום')).toBe(true);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('a\u0000b')).toBe(false);
  });
});
