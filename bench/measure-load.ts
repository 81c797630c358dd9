import { join } from 'node:path';
import { startChild } from './child-process.js';
import { paceDirective } from './fake-answer.js';
import type { LoadResult } from './load-generator.js';
import type { LoadMeasurement } from './measurement.js';
import { fetchMetrics, metricValue } from './prometheus-text.js';
import { readCpuMs, watchPeakRss } from './process-stats.js';
import type { DatabaseKind, LoadScenario } from './scenarios.js';
import { repositoryRoot, type ServerUnderTest } from './servers-under-test.js';
import { verifyEvents } from './verify-events.js';
import { loadArguments, loadProblems } from './load-checks.js';

/**
 * One load measured against one server: a warm-up, then the load generator on its own core,
 * with the server's CPU, memory and event loop read around it and every turn's events read
 * back after. The servers run on core 0, the load generator and the fake model on core 1.
 */
export const serverCore = 0;
export const loadCore = 1;

/** A short fast load before measuring, so both servers are measured warm (JIT, pools). */
export const warmUp = { sessions: 20, messages: 3, tokens: 20, delayMs: 0, firstTokenMs: 0 };

export async function runLoadGenerator(
  scenario: Pick<LoadScenario, 'sessions' | 'messages' | 'tokens' | 'delayMs' | 'firstTokenMs' | 'rampMs'>,
  server: ServerUnderTest,
  prefix: string,
  logFile: string,
  paceDirective?: string,
): Promise<LoadResult> {
  const child = startChild({
    name: 'load-generator',
    command: [
      process.execPath,
      '--import',
      'tsx',
      join(repositoryRoot, 'bench', 'load-generator.ts'),
      '--url', server.wsUrl,
      ...loadArguments(scenario, prefix, paceDirective),
    ],
    core: loadCore,
    logFile,
  });
  const line = await child.waitForLine(/^RESULT /, 300_000);
  await child.exited;
  return JSON.parse(line.slice('RESULT '.length)) as LoadResult;
}

/** Waits until Parley's writer has nothing left to write, so the database is complete. */
export async function waitForWriter(httpUrl: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const pending = metricValue(await fetchMetrics(httpUrl), 'parley_event_writer_pending');
    if (pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function measureLoad(
  scenario: LoadScenario,
  server: ServerUnderTest,
  kind: { server: 'relay' } | { server: 'parley'; database: DatabaseKind },
  logFile: string,
  fakeModelPid: number,
): Promise<LoadMeasurement> {
  const prefix = `b${Date.now().toString(36)}${kind.server === 'relay' ? 'r' : kind.database[0]}`;
  const warm = await runLoadGenerator({ ...warmUp, sessions: Math.min(warmUp.sessions, scenario.sessions), rampMs: 0 }, server, `${prefix}w`, logFile, paceDirective(warmUp));
  if (warm.outcomes.ok !== warm.turns) throw new Error(`warm-up turns failed: ${JSON.stringify(warm.outcomes)}`);
  await server.probe();
  const tripsBefore = server.httpUrl ? metricValue(await fetchMetrics(server.httpUrl), 'parley_event_writer_round_trips') : null;
  const cpuBefore = await readCpuMs(server.child.pid);
  const fakeCpuBefore = await readCpuMs(fakeModelPid);
  const peak = watchPeakRss(server.child.pid);
  const load = await runLoadGenerator(scenario, server, prefix, logFile);
  const cpuMs = (await readCpuMs(server.child.pid)) - cpuBefore;
  const fakeModelCpuMs = (await readCpuMs(fakeModelPid)) - fakeCpuBefore;
  const peakRssKb = await peak.stop();
  const probe = await server.probe();
  const problems: string[] = [];
  let roundTripsPerTurn: number | null = null;
  let eventsMissing: number | null = null;
  if (server.httpUrl) {
    await waitForWriter(server.httpUrl);
    const tripsAfter = metricValue(await fetchMetrics(server.httpUrl), 'parley_event_writer_round_trips');
    if (tripsBefore !== null && tripsAfter !== null) roundTripsPerTurn = Math.round(((tripsAfter - tripsBefore) / load.turns) * 100) / 100;
    const verified = await verifyEvents({ httpUrl: server.httpUrl, sessionPrefix: prefix, sessions: scenario.sessions, messages: scenario.messages, tokens: scenario.tokens });
    eventsMissing = verified.missing;
    problems.push(...verified.examples);
  }
  problems.push(...loadProblems(load, fakeModelCpuMs));
  return {
    ...kind,
    load,
    serverCpuMs: Math.round(cpuMs),
    fakeModelCpuMs: Math.round(fakeModelCpuMs),
    cpuPer1000TokensMs: load.tokensDelivered > 0 ? Math.round((cpuMs / (load.tokensDelivered / 1000)) * 10) / 10 : null,
    peakRssMb: Math.round(peakRssKb / 102.4) / 10,
    eventLoopDelayMs: probe.eventLoopDelayMs,
    roundTripsPerTurn,
    eventsMissing,
    problems,
  };
}
