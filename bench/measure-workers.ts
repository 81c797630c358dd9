import { readFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { redisUsage } from './bench-redis.js';
import type { ProcessUsage, WorkersMeasurement } from './cluster-measurement.js';
import type { WorkersScenario } from './cluster-scenarios.js';
import { paceDirective } from './fake-answer.js';
import { runLoadGenerator, warmUp } from './measure-load.js';
import { metricValue } from './prometheus-text.js';
import { readCpuMs, readRssKb } from './process-stats.js';
import type { ServerUnderTest } from './servers-under-test.js';
import { verifyEvents } from './verify-events.js';
import { loadProblems } from './load-checks.js';

/**
 * `cluster-workers` against one Parley started with WORKERS=`workers` on one port: the load
 * generator's ordinary load, with the CPU of each process serving the port (the workers, and
 * the primary that hands them the connections) read from /proc around it.
 */
function getText(url: string, agent: Agent | false): Promise<string | null> {
  return new Promise((resolve) => {
    const request = get(url, { agent }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(response.statusCode === 200 ? body : null));
    });
    request.on('error', () => resolve(null));
  });
}

const instanceIdOf = (body: string | null): string | null => {
  try {
    return body === null ? null : ((JSON.parse(body) as { instance_id?: string }).instance_id ?? null);
  } catch {
    return null;
  }
};

/** A connection of its own each time (no keep-alive), so node:cluster hands each to the next worker. */
async function instanceIdOnNewConnection(httpUrl: string): Promise<string | null> {
  return instanceIdOf(await getText(`${httpUrl}/health`, false));
}

/** The pid in an instance id (`host-pid-random`, cluster-node.ts). */
const pidOf = (instanceId: string): number => Number(/-(\d+)-[0-9a-f]+$/.exec(instanceId)?.[1]);

/**
 * Completed turns per worker pid: /health then /metrics on one kept-alive connection reach
 * the same worker, so each worker's counter is read from a new connection until all answered.
 */
async function completedTurnsByPid(httpUrl: string, workers: number): Promise<Map<number, number>> {
  const turns = new Map<number, number>();
  for (let tries = 0; turns.size < workers && tries < 100; tries += 1) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const id = instanceIdOf(await getText(`${httpUrl}/health`, agent));
      const metrics = await getText(`${httpUrl}/metrics`, agent);
      if (id !== null && metrics !== null) turns.set(pidOf(id), metricValue(metrics, 'parley_turns_total', { status: 'complete' }) ?? 0);
    } finally {
      agent.destroy();
    }
  }
  return turns;
}

/** Resolves once `count` different instances answered /health on the port. */
export async function waitForInstances(httpUrl: string, count: number, timeoutMs = 60_000): Promise<void> {
  const seen = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  while (seen.size < count) {
    if (Date.now() > deadline) throw new Error(`only ${seen.size} of ${count} workers answered /health within ${timeoutMs} ms`);
    const id = await instanceIdOnNewConnection(httpUrl);
    if (id !== null) seen.add(id);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function childPids(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.trim().split(/\s+/).filter(Boolean).map(Number);
}

/** The processes serving the port: the one process, or the primary and its workers. */
async function servingProcesses(server: ServerUnderTest, workers: number): Promise<Array<{ name: string; pid: number }>> {
  if (workers === 1) return [{ name: 'instance', pid: server.child.pid }];
  const children = await childPids(server.child.pid);
  if (children.length !== workers) throw new Error(`expected ${workers} workers under the primary, found ${children.length}`);
  return [{ name: 'primary', pid: server.child.pid }, ...children.map((pid, index) => ({ name: `worker ${index + 1}`, pid }))];
}

/** The writers of several processes drain on their own: the events are read again until complete or 20 s passed. */
async function verifyUntilComplete(options: Parameters<typeof verifyEvents>[0]): Promise<Awaited<ReturnType<typeof verifyEvents>>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const verified = await verifyEvents(options);
    if (verified.missing === 0 || Date.now() > deadline) return verified;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export async function measureWorkers(options: {
  scenario: WorkersScenario;
  server: ServerUnderTest;
  workers: number;
  cores: string;
  redisUrl: string;
  logFile: string;
  fakeModelPid: number;
}): Promise<WorkersMeasurement> {
  const { scenario, server, workers, logFile } = options;
  const prefix = `w${Date.now().toString(36)}${workers}`;
  const loadScenario = { ...scenario, kind: 'load' as const, name: scenario.name };
  const warm = await runLoadGenerator({ ...warmUp, sessions: Math.min(warmUp.sessions, scenario.sessions), rampMs: 0 }, server, `${prefix}w`, logFile, paceDirective(warmUp));
  if (warm.outcomes.ok !== warm.turns) throw new Error(`warm-up turns failed: ${JSON.stringify(warm.outcomes)}`);

  const serving = await servingProcesses(server, workers);
  const turnsBefore = await completedTurnsByPid(server.httpUrl!, workers);
  const redisBefore = await redisUsage(options.redisUrl).catch(() => null);
  const cpuBefore = await Promise.all(serving.map((process) => readCpuMs(process.pid)));
  const fakeCpuBefore = await readCpuMs(options.fakeModelPid);

  const load = await runLoadGenerator(loadScenario, server, prefix, logFile);

  const cpuAfter = await Promise.all(serving.map((process) => readCpuMs(process.pid)));
  const fakeModelCpuMs = (await readCpuMs(options.fakeModelPid)) - fakeCpuBefore;
  const redisAfter = await redisUsage(options.redisUrl).catch(() => null);
  const turnsAfter = await completedTurnsByPid(server.httpUrl!, workers);
  const processes: ProcessUsage[] = await Promise.all(
    serving.map(async (process, index) => {
      const turns = process.name === 'primary' ? null : (turnsAfter.get(process.pid) ?? Number.NaN) - (turnsBefore.get(process.pid) ?? Number.NaN);
      return {
        name: process.name,
        cpuMs: Math.round(cpuAfter[index]! - cpuBefore[index]!),
        rssMb: Math.round((await readRssKb(process.pid)) / 102.4) / 10,
        tokens: turns === null || Number.isNaN(turns) ? null : turns * scenario.tokens,
      };
    }),
  );
  const cpuMs = processes.reduce((sum, process) => sum + process.cpuMs, 0);

  const problems: string[] = [];
  const verified = await verifyUntilComplete({ httpUrl: server.httpUrl!, sessionPrefix: prefix, sessions: scenario.sessions, messages: scenario.messages, tokens: scenario.tokens });
  problems.push(...verified.examples);
  problems.push(...loadProblems(load, fakeModelCpuMs));
  return {
    workers,
    cores: options.cores,
    load,
    processes,
    cpuPer1000TokensMs: load.tokensDelivered > 0 ? Math.round((cpuMs / (load.tokensDelivered / 1000)) * 10) / 10 : null,
    fakeModelCpuMs: Math.round(fakeModelCpuMs),
    redis: redisBefore && redisAfter ? { cpuMs: redisAfter.cpuMs - redisBefore.cpuMs, commands: redisAfter.commands - redisBefore.commands } : null,
    eventsMissing: verified.missing,
    problems,
  };
}
