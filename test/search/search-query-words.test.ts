import { describe, expect, it } from 'vitest';
import { correctableWords, correctQuery } from '../../src/search/correct-query.js';
import { decodeSearchCursor, encodeSearchCursor } from '../../src/search/search-cursor.js';
import { searchableWords } from '../../src/search/searchable-words.js';

describe('the words a query looks for', () => {
  it('reads words, phrases and OR as websearch_to_tsquery does, leaving out excluded words', () => {
    expect(searchableWords('"Sourdough Starter" or rye -wheat OR spelt')).toStrictEqual(['sourdough', 'starter', 'rye', 'spelt']);
  });

  it('finds none in a query of operators alone', () => {
    for (const query of ['-', '"', 'OR', '" - OR "', '-wheat', '- -- or']) expect(searchableWords(query)).toStrictEqual([]);
  });

  it('keeps letters of every script and digits', () => {
    expect(searchableWords('Café 東京 2024')).toStrictEqual(['café', '東京', '2024']);
  });
});

describe('a query corrected for typos', () => {
  it('replaces whole misspelt words and keeps quotes, exclusions and the other words', () => {
    const corrections = new Map([['runing', 'running'], ['shoe', 'shoes']]);
    expect(correctQuery('"Runing shoe" -shoe trails', corrections)).toBe('"running shoes" -shoe trails');
  });

  it('corrects only words of three letters or more without digits', () => {
    expect(correctableWords(['a', 'ok', 'rye', 'gpt4', 'sourdugh'])).toStrictEqual(['rye', 'sourdugh']);
  });
});

describe('the search cursor', () => {
  it('goes back to the offset it was made from', () => {
    expect(decodeSearchCursor(encodeSearchCursor(40))).toBe(40);
  });

  it('refuses a cursor it did not make, or one past the deepest page, as a bad request', () => {
    for (const cursor of ['nonsense', encodeSearchCursor(-1), encodeSearchCursor(500), Buffer.from('{"offset":"3"}').toString('base64url')]) {
      expect(() => decodeSearchCursor(cursor)).toThrow(expect.objectContaining({ code: 'bad_request' }));
    }
  });
});
