import { createBenchDatabase, dropBenchDatabase, postgresAnswers } from './bench-database.js';
import { deleteKeys, freshKeyPrefix, redisAnswers } from './bench-redis.js';
import type { ClusterReport, SplitRound, WorkersRound } from './cluster-measurement.js';
import { clusterPlanFor, type ClusterScenario } from './cluster-scenarios.js';
import { modelName } from './fake-answer.js';
import { measureLoad, serverCore } from './measure-load.js';
import { measureSplit } from './measure-split.js';
import { measureWorkers, waitForInstances } from './measure-workers.js';
import type { LoadMeasurement } from './measurement.js';
import { startParley, startRelay, type ServerUnderTest } from './servers-under-test.js';

/**
 * The cluster scenarios of `npm run bench` (cluster-scenarios.ts), each round in turn: the bare
 * relay with one socket per session, then Parley as one instance, then as several; every Parley
 * run on a fresh PostgreSQL database and a fresh Redis key prefix, both removed after.
 */
export interface ClusterRunOptions {
  mode: 'full' | 'quick' | 'tiny';
  only: RegExp | null;
  adminUrl: string;
  redisUrl: string;
  modelBaseUrl: string;
  workDir: string;
  logFile: string;
  fakeModelPid: number;
  say: (line: string) => void;
  /** Parley runs with --cpu-prof, its profiles written to outDir. */
  profile: boolean;
  outDir: string;
}

/** `cluster-workers` with two: Parley may use both cores, the load shares core 1 with one of them. */
export const workersCores = '0,1';

export const clusterPinning = [
  `cluster-split: the relay and Parley pinned to core ${serverCore}: one instance, or A and B both (two instances on one core, the CPU one instance had); then A on core ${serverCore} and B on core 1 (two instances with a core each, B sharing its core with the load generator and the fake model, which are pinned to core 1); Redis and PostgreSQL are the machine's, not pinned.`,
  `cluster-workers: WORKERS=1 pinned to core ${serverCore} (as the one-instance scenarios); WORKERS=2 (primary and both workers) allowed cores ${workersCores}, so one worker shares core 1 with the load generator and the fake model; then WORKERS=2 again with both workers on core ${serverCore}, for the CPU per token of two processes with the load on a core of its own; the relay on core ${serverCore}.`,
];

let databaseCounter = 0;

interface ParleyRun {
  servers: ServerUnderTest[];
  stop(): Promise<void>;
}

/** Parley processes sharing one fresh database and one fresh key prefix. */
async function startCluster(options: ClusterRunOptions, model: string, processes: Array<{ core: string; workers: number }>): Promise<ParleyRun> {
  const databaseName = `parley_bench_cluster_${Date.now()}_${databaseCounter++}`;
  const prefix = freshKeyPrefix();
  const servers: ServerUnderTest[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.child.stop(30_000)));
    await dropBenchDatabase(options.adminUrl, databaseName).catch(() => undefined);
    await deleteKeys(options.redisUrl, prefix).catch(() => undefined);
  };
  try {
    const databaseUrl = await createBenchDatabase(options.adminUrl, databaseName);
    for (const process of processes) {
      const server = await startParley({
        database: { kind: 'postgres', url: databaseUrl },
        modelBaseUrl: options.modelBaseUrl,
        model,
        workDir: options.workDir,
        logFile: options.logFile,
        core: process.core,
        ...(options.profile ? { cpuProfileDir: options.outDir } : {}),
        env: { REDIS_URL: options.redisUrl, REDIS_KEY_PREFIX: prefix, WORKERS: String(process.workers) },
      });
      servers.push(server);
      if (process.workers > 1) await waitForInstances(server.httpUrl!, process.workers);
    }
    return { servers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function measureRelay(options: ClusterRunOptions, scenario: ClusterScenario, model: string): Promise<LoadMeasurement | null> {
  const relay = await startRelay({ modelBaseUrl: options.modelBaseUrl, model, workDir: options.workDir, logFile: options.logFile, core: serverCore });
  try {
    return await measureLoad({ ...scenario, kind: 'load', name: scenario.name }, relay, { server: 'relay' }, options.logFile, options.fakeModelPid);
  } finally {
    await relay.child.stop();
  }
}

/** Runs `measure`, or says why it failed and gives null (the report shows the gap). */
async function attempt<T>(options: ClusterRunOptions, what: string, measure: () => Promise<T>): Promise<T | null> {
  options.say(what);
  try {
    return await measure();
  } catch (error) {
    options.say(`  failed: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

async function inCluster<T>(options: ClusterRunOptions, model: string, processes: Array<{ core: string; workers: number }>, measure: (servers: ServerUnderTest[]) => Promise<T>): Promise<T> {
  const run = await startCluster(options, model, processes);
  try {
    return await measure(run.servers);
  } finally {
    await run.stop();
  }
}

export async function runClusterScenarios(options: ClusterRunOptions): Promise<ClusterReport | null> {
  const scenarios = clusterPlanFor(options.mode).filter((scenario) => !options.only || options.only.test(scenario.name));
  if (scenarios.length === 0) return null;
  const report: ClusterReport = { redisUrl: options.redisUrl, skipped: null, notes: [...clusterPinning], split: [], workers: [] };
  if (!(await redisAnswers(options.redisUrl))) {
    report.skipped = `Redis at ${options.redisUrl} did not answer (--redis-url or BENCH_REDIS_URL): the cluster scenarios were skipped.`;
    return report;
  }
  if (!(await postgresAnswers(options.adminUrl))) {
    report.skipped = `PostgreSQL at ${options.adminUrl} did not answer: the cluster scenarios, which need it, were skipped.`;
    return report;
  }
  const core = String(serverCore);
  for (const scenario of scenarios) {
    const model = modelName(scenario);
    for (let round = 1; round <= scenario.rounds; round += 1) {
      const named = `${scenario.name}${scenario.rounds > 1 ? ` (round ${round} of ${scenario.rounds})` : ''}`;
      const relay = await attempt(options, `${named}: bare relay`, () => measureRelay(options, scenario, model));
      const common = { redisUrl: options.redisUrl, logFile: options.logFile, fakeModelPid: options.fakeModelPid };
      if (scenario.kind === 'split') {
        const result: SplitRound = { scenario, round, relay, one: null, two: null, twoOnTwoCores: null };
        result.one = await attempt(options, `${named}: Parley, both sockets on one instance`, () =>
          inCluster(options, model, [{ core, workers: 1 }], (servers) => measureSplit({ ...common, scenario, layout: 'one', servers })),
        );
        result.two = await attempt(options, `${named}: Parley, the sockets on two instances on core ${core}`, () =>
          inCluster(options, model, [{ core, workers: 1 }, { core, workers: 1 }], (servers) => measureSplit({ ...common, scenario, layout: 'two', servers })),
        );
        result.twoOnTwoCores = await attempt(options, `${named}: Parley, the sockets on two instances, a core each`, () =>
          inCluster(options, model, [{ core, workers: 1 }, { core: '1', workers: 1 }], (servers) => measureSplit({ ...common, scenario, layout: 'twoOnTwoCores', servers })),
        );
        report.split.push(result);
      } else {
        const result: WorkersRound = { scenario, round, relay, one: null, two: null, twoOnOneCore: null };
        result.one = await attempt(options, `${named}: Parley, WORKERS=1`, () =>
          inCluster(options, model, [{ core, workers: 1 }], ([server]) => measureWorkers({ ...common, scenario, server: server!, workers: 1, cores: core })),
        );
        result.two = await attempt(options, `${named}: Parley, WORKERS=${scenario.workers}`, () =>
          inCluster(options, model, [{ core: workersCores, workers: scenario.workers }], ([server]) =>
            measureWorkers({ ...common, scenario, server: server!, workers: scenario.workers, cores: workersCores }),
          ),
        );
        result.twoOnOneCore = await attempt(options, `${named}: Parley, WORKERS=${scenario.workers} on core ${core}`, () =>
          inCluster(options, model, [{ core, workers: scenario.workers }], ([server]) => measureWorkers({ ...common, scenario, server: server!, workers: scenario.workers, cores: core })),
        );
        report.workers.push(result);
      }
    }
  }
  return report;
}
