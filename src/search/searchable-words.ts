/**
 * The words a search looks for, as `websearch_to_tsquery` reads the query: quotes group,
 * a leading `-` excludes, a bare `or` joins. Lowercased, each once, in order. Empty when the
 * query holds only operators or exclusions: there is nothing to rank by, so it is refused.
 */
export function searchableWords(query: string): string[] {
  const words: string[] = [];
  for (const token of query.split(/[\s"]+/u)) {
    if (token === '' || token.startsWith('-') || token.toLowerCase() === 'or') continue;
    for (const word of token.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      if (!words.includes(word)) words.push(word);
    }
  }
  return words;
}
