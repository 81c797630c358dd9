export interface RestartLimits {
  /** A worker that exits within this long of its start counts as failing to start. */
  quickMs: number;
  /** The wait before the first restart, doubled for each quick exit in a row. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** This many quick exits in a row, and the primary stops trying. */
  quickExitsToGiveUp: number;
}

export const defaultRestartLimits: RestartLimits = { quickMs: 30_000, firstDelayMs: 500, maxDelayMs: 10_000, quickExitsToGiveUp: 5 };

export type RestartDecision = { quickExitsInARow: number } & ({ restartInMs: number } | { giveUp: true });

/**
 * What the primary does when a worker exits unexpectedly, after `quickExitsInARow` quick
 * exits and this one after `livedMs`: restart it soon, later each time it fails again at
 * start (a database that refuses connections should not be hammered), or give up on a
 * worker that cannot start at all, so the process exits and its supervisor sees it.
 */
export function afterWorkerExit(quickExitsInARow: number, livedMs: number, limits: RestartLimits = defaultRestartLimits): RestartDecision {
  if (livedMs >= limits.quickMs) return { quickExitsInARow: 0, restartInMs: limits.firstDelayMs };
  const quickExits = quickExitsInARow + 1;
  if (quickExits >= limits.quickExitsToGiveUp) return { quickExitsInARow: quickExits, giveUp: true };
  return { quickExitsInARow: quickExits, restartInMs: Math.min(limits.maxDelayMs, limits.firstDelayMs * 2 ** (quickExits - 1)) };
}
