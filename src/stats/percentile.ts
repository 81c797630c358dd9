/**
 * Nearest-rank percentile of values already sorted ascending: the smallest value with at
 * least `fraction` (0 to 1) of the values at or below it. NaN when there are none.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1]!;
}

/** Nearest-rank percentile of values in any order; see percentileOfSorted. */
export function percentile(values: readonly number[], fraction: number): number {
  return percentileOfSorted([...values].sort((a, b) => a - b), fraction);
}
