import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The one bounded wait: resolves `true` when `work` settles (fulfilled or rejected) within
 * `ms`, `false` when the time ran out first. The work goes on either way; its outcome is
 * the caller's to read.
 */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      sleep(ms, false, { signal: timer.signal }),
    ]);
  } finally {
    // Settled first: the pending sleep is cancelled (its AbortError is already handled by the race).
    timer.abort();
  }
}
