import { join } from 'node:path';
import { redisUsage } from './bench-redis.js';
import { startChild } from './child-process.js';
import type { SplitMeasurement } from './cluster-measurement.js';
import type { SplitScenario } from './cluster-scenarios.js';
import { paceDirective } from './fake-answer.js';
import { loadCore, waitForWriter, warmUp } from './measure-load.js';
import { fetchMetrics, metricValue } from './prometheus-text.js';
import { readCpuMs, readRssKb } from './process-stats.js';
import { repositoryRoot, type ServerUnderTest } from './servers-under-test.js';
import type { SplitLoadResult } from './split-load-generator.js';
import { loadArguments, loadProblems } from './load-checks.js';
import { verifyEvents } from './verify-events.js';

/**
 * `cluster-split` against one layout: `servers` holds instance A, and B when the sockets are
 * split (else both sockets go to A). Warm-up in the same layout, then the load, with every
 * Parley process's CPU, the Redis server's, the forwarded messages and the fan-out lag read
 * around it, and every turn's events read back after.
 */
function runSplitLoadGenerator(
  scenario: Pick<SplitScenario, 'sessions' | 'messages' | 'tokens' | 'delayMs' | 'firstTokenMs' | 'rampMs'>,
  urls: { a: string; b: string },
  prefix: string,
  logFile: string,
  pace?: string,
): Promise<SplitLoadResult> {
  const child = startChild({
    name: 'split-load-generator',
    command: [
      process.execPath,
      '--import',
      'tsx',
      join(repositoryRoot, 'bench', 'split-load-generator.ts'),
      '--url-a', urls.a,
      '--url-b', urls.b,
      ...loadArguments(scenario, prefix, pace),
    ],
    core: loadCore,
    logFile,
  });
  return child.waitForLine(/^RESULT /, 300_000).then(async (line) => {
    await child.exited;
    return JSON.parse(line.slice('RESULT '.length)) as SplitLoadResult;
  });
}

interface ClusterCounters {
  forwarded: number;
  lagSum: number;
  lagCount: number;
}

async function readCounters(servers: ServerUnderTest[]): Promise<ClusterCounters> {
  const counters: ClusterCounters = { forwarded: 0, lagSum: 0, lagCount: 0 };
  for (const server of servers) {
    const text = await fetchMetrics(server.httpUrl!);
    counters.forwarded += metricValue(text, 'parley_forwarded_messages_total') ?? 0;
    counters.lagSum += metricValue(text, 'parley_fanout_lag_seconds_sum') ?? 0;
    counters.lagCount += metricValue(text, 'parley_fanout_lag_seconds_count') ?? 0;
  }
  return counters;
}

export async function measureSplit(options: {
  scenario: SplitScenario;
  layout: SplitMeasurement['layout'];
  servers: ServerUnderTest[];
  redisUrl: string;
  logFile: string;
  fakeModelPid: number;
}): Promise<SplitMeasurement> {
  const { scenario, servers, logFile } = options;
  const { layout } = options;
  const urls = { a: servers[0]!.wsUrl, b: (servers[1] ?? servers[0]!).wsUrl };
  const names = servers.length === 1 ? ['A'] : ['A', 'B'];
  const prefix = `s${Date.now().toString(36)}${layout === 'one' ? 'o' : layout === 'two' ? 't' : 'c'}`;

  const warm = await runSplitLoadGenerator({ ...warmUp, sessions: Math.min(warmUp.sessions, scenario.sessions), rampMs: 0 }, urls, `${prefix}w`, logFile, paceDirective(warmUp));
  if (warm.outcomes.ok !== warm.turns) throw new Error(`warm-up turns failed: ${JSON.stringify(warm.outcomes)}`);
  for (const server of servers) await server.probe();
  const countersBefore = await readCounters(servers);
  const redisBefore = await redisUsage(options.redisUrl).catch(() => null);
  const cpuBefore = await Promise.all(servers.map((server) => readCpuMs(server.child.pid)));
  const fakeCpuBefore = await readCpuMs(options.fakeModelPid);

  const load = await runSplitLoadGenerator(scenario, urls, prefix, logFile);

  const cpuAfter = await Promise.all(servers.map((server) => readCpuMs(server.child.pid)));
  const fakeModelCpuMs = (await readCpuMs(options.fakeModelPid)) - fakeCpuBefore;
  const redisAfter = await redisUsage(options.redisUrl).catch(() => null);
  const countersAfter = await readCounters(servers);
  const processes = await Promise.all(
    servers.map(async (server, index) => {
      const probe = await server.probe();
      return { name: names[index]!, cpuMs: Math.round(cpuAfter[index]! - cpuBefore[index]!), rssMb: Math.round((await readRssKb(server.child.pid)) / 102.4) / 10, eventLoopDelayMs: probe.eventLoopDelayMs };
    }),
  );
  const cpuMs = processes.reduce((sum, process) => sum + process.cpuMs, 0);

  const problems: string[] = [];
  for (const server of servers) await waitForWriter(server.httpUrl!);
  const verified = await verifyEvents({ httpUrl: servers[0]!.httpUrl!, sessionPrefix: prefix, sessions: scenario.sessions, messages: scenario.messages, tokens: scenario.tokens });
  problems.push(...verified.examples);
  problems.push(...loadProblems(load, fakeModelCpuMs, 'sessions could not connect both sockets'));
  if (load.unexpectedFrames > 0) problems.push(`${load.unexpectedFrames} frames outside any turn, e.g. ${load.unexpectedExamples.join('; ')}`);
  const lagFrames = countersAfter.lagCount - countersBefore.lagCount;
  return {
    layout,
    load,
    processes,
    cpuPer1000TokensMs: load.tokensDelivered > 0 ? Math.round((cpuMs / (load.tokensDelivered / 1000)) * 10) / 10 : null,
    fakeModelCpuMs: Math.round(fakeModelCpuMs),
    redis: redisBefore && redisAfter ? { cpuMs: redisAfter.cpuMs - redisBefore.cpuMs, commands: redisAfter.commands - redisBefore.commands } : null,
    forwardedMessages: countersAfter.forwarded - countersBefore.forwarded,
    fanoutLag: lagFrames > 0 ? { meanMs: Math.round(((countersAfter.lagSum - countersBefore.lagSum) / lagFrames) * 100_000) / 100, frames: lagFrames } : null,
    eventsMissing: verified.missing,
    problems,
  };
}
