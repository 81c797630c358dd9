export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A connection that stayed up this long starts the count again at its next failure. */
  stableMs: number;
}

/**
 * Half a second, doubling per failed attempt, capped at 30 s: a crashing server restarts
 * quickly once, then costs at most one spawn every 30 s.
 */
export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 30_000, stableMs: 30_000 };

/** The wait before attempt `attempt` (0: the first retry), with ±20% jitter so servers that failed together do not retry together. */
export function reconnectDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The attempt count after a failure: back to 0 when the connection had been up long enough. */
export function nextAttempt(attempt: number, upForMs: number | null, policy: BackoffPolicy): number {
  return upForMs !== null && upForMs >= policy.stableMs ? 0 : attempt + 1;
}
