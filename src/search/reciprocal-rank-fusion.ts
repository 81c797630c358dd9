/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): each list gives an item
 * 1 / (k + rank), rank counted from 1, and the sums order the result. Ranks, not scores, are
 * fused, so full text, typo-corrected full text and cosine similarity need no common scale.
 * Ties keep the order in which items were first seen, lists taken in the order given.
 */
export function reciprocalRankFusion<T>(lists: readonly (readonly T[])[], keyOf: (item: T) => string, k = 60): T[] {
  const fused = new Map<string, { item: T; score: number; firstSeen: number }>();
  let seen = 0;
  for (const list of lists) {
    list.forEach((item, index) => {
      const key = keyOf(item);
      const known = fused.get(key);
      const share = 1 / (k + index + 1);
      if (known) known.score += share;
      else fused.set(key, { item, score: share, firstSeen: seen++ });
    });
  }
  return [...fused.values()]
    .sort((left, right) => right.score - left.score || left.firstSeen - right.firstSeen)
    .map((entry) => entry.item);
}
