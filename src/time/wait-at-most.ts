/**
 * The one bounded wait: resolves `true` when `work` settles (fulfilled or rejected) within
 * `ms`, `false` when the time ran out first. The work goes on either way; its outcome is
 * the caller's to read. On the global timers rather than `node:timers/promises`, so that
 * the unit tests' fake clock drives it.
 */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
