/**
 * The query with each misspelt word replaced by its correction (pg_trgm's nearest word), the
 * operators around them kept: `"runing shoes" -red` with runing→running becomes
 * `"running shoes" -red`. Matching ignores case; only whole words are replaced.
 */
export function correctQuery(query: string, corrections: ReadonlyMap<string, string>): string {
  return query.replace(/(-?)([\p{L}\p{N}]+)/gu, (whole, minus: string, word: string) => {
    if (minus !== '') return whole;
    const correction = corrections.get(word.toLowerCase());
    return correction === undefined ? whole : correction;
  });
}

/** Words worth correcting: three letters or more (trigrams of shorter words say little), no digits (ids, numbers). */
export function correctableWords(words: readonly string[]): string[] {
  return words.filter((word) => word.length >= 3 && !/\p{N}/u.test(word));
}
