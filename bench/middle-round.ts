/**
 * The round a target is judged on: the middle one by `score` (of an even number, the worse
 * of the two in the middle), where a round without a score counts as the worst.
 */
export function middleRound<T>(rounds: T[], score: (round: T) => number | null, higherIsWorse: boolean): { round: T; scores: Array<number | null> } | null {
  if (rounds.length === 0) return null;
  const badness = (round: T) => {
    const value = score(round);
    return value === null ? Number.POSITIVE_INFINITY : higherIsWorse ? value : -value;
  };
  const sorted = [...rounds].sort((a, b) => badness(a) - badness(b));
  return { round: sorted[Math.floor(sorted.length / 2)]!, scores: rounds.map(score) };
}

/** Every round's score, for the report's "each round" column; empty for a single round. */
export const listRounds = (scores: Array<number | null>, show: (value: number) => string): string =>
  scores.length > 1 ? scores.map((value) => (value === null ? 'n/a' : show(value))).join(', ') : '';
