import type { StartFigures, StartupMeasurement } from './measurement.js';
import { readRssKb, readTreeRssKb, watchPeakRss } from './process-stats.js';
import type { DatabaseKind, StartupScenario } from './scenarios.js';
import type { ServerUnderTest } from './servers-under-test.js';

type Start = (onSpawn: (pid: number) => void) => Promise<ServerUnderTest>;

/**
 * The `startup-memory` scenario for one server: started twice on the same state (Parley: a
 * fresh data directory or database, then a restart on it), each time timed from spawning it
 * to its first answer (which includes up to 100 ms between two `/health` polls), with its RSS
 * as it answers and `settleMs` later, and the peak of it and its children while starting.
 * Nothing connects: this is what an idle server holds.
 */
export async function measureStartup(
  scenario: StartupScenario,
  kind: { server: 'relay' } | { server: 'parley'; database: DatabaseKind },
  start: Start,
): Promise<StartupMeasurement> {
  const first = await measureOneStart(start, scenario.settleMs);
  const restart = await measureOneStart(start, scenario.settleMs);
  return { ...kind, first, restart, problems: [] };
}

async function measureOneStart(start: Start, settleMs: number): Promise<StartFigures> {
  let peak: ReturnType<typeof watchPeakRss> | undefined;
  const startedAt = performance.now();
  const server = await start((pid) => {
    peak = watchPeakRss(pid, 50, readTreeRssKb);
  });
  try {
    const readyMs = Math.round(performance.now() - startedAt);
    const rssAtReadyKb = await readRssKb(server.child.pid);
    const peakWhileStartingKb = (await peak?.stop()) ?? 0;
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const rssSettledKb = await readRssKb(server.child.pid);
    return { readyMs, rssAtReadyKb, rssSettledKb, settleMs, peakTreeRssKb: Math.max(peakWhileStartingKb, rssAtReadyKb) };
  } finally {
    await server.child.stop(30_000);
  }
}
