import type { DataRecord } from './data-source.js';

/** Words that say what the user wants rather than which record: "show me the weather in Paris". */
const stopWords = new Set([
  'a', 'about', 'all', 'an', 'and', 'any', 'are', 'at', 'by', 'can', 'cities', 'city', 'country', 'countries',
  'current', 'data', 'details', 'do', 'does', 'fetch', 'find', 'for', 'from', 'get', 'give', 'has', 'have', 'how',
  'i', 'in', 'info', 'information', 'is', 'it', 'its', 'like', 'list', 'look', 'lookup', 'me', 'my', 'near', 'now',
  'of', 'on', 'please', 'population', 'record', 'records', 'sample', 'show', 'some', 'tell', 'temperature', 'the',
  'there', 'time', 'timezone', 'to', 'today', 'up', 'us', 'weather', 'what', 'whats', 'where', 'which', 'with', 'you',
]);

/** Lower-case words without accents, so "São Paulo" and "sao paulo" meet. */
export function wordsOf(text: string): string[] {
  const plain = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return plain.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The words of a query that can pick out records. */
export function queryWords(query: string): string[] {
  return [...new Set(wordsOf(query).filter((word) => word.length > 1 && !stopWords.has(word)))];
}

/** Fields that name a record: a word found there outweighs one found elsewhere ("Tokyo" is not Osaka in Asia/Tokyo). */
const namingFields = ['id', 'name', 'title'];

/**
 * The records that best match the query's words, searched in every string field (nested
 * ones included); none when no word matches anything. A word matches a record word it
 * equals, or one it starts or is started by when the shorter has 4 letters or more
 * ("japanese" finds Japan).
 */
export function matchRecords(records: readonly DataRecord[], query: string): DataRecord[] {
  const words = queryWords(query);
  if (words.length === 0) return [];
  const scored = records.map((record) => {
    const namingWords = namingFields.flatMap((field) => stringsIn(record[field])).flatMap(wordsOf);
    const allWords = stringsIn(record).flatMap(wordsOf);
    const score = words.reduce((sum, word) => {
      if (namingWords.some((candidate) => wordsMatch(word, candidate))) return sum + 2;
      return allWords.some((candidate) => wordsMatch(word, candidate)) ? sum + 1 : sum;
    }, 0);
    return { record, score };
  });
  const best = Math.max(0, ...scored.map(({ score }) => score));
  return best === 0 ? [] : scored.filter(({ score }) => score === best).map(({ record }) => record);
}

function wordsMatch(queryWord: string, recordWord: string): boolean {
  if (queryWord === recordWord) return true;
  const [shorter, longer] = queryWord.length < recordWord.length ? [queryWord, recordWord] : [recordWord, queryWord];
  return shorter.length >= 4 && longer.startsWith(shorter);
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
