import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, release as kernelRelease, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createBenchDatabase, defaultAdminUrl, dropBenchDatabase, postgresAnswers } from './bench-database.js';
import { defaultRedisUrl } from './bench-redis.js';
import { canPin, openFilesLimit, startChild, type Child } from './child-process.js';
import { modelName } from './fake-answer.js';
import type { BenchReport, IdleMeasurement, LoadMeasurement, ScenarioResult } from './measurement.js';
import { loadCore, measureLoad, serverCore } from './measure-load.js';
import { readRssKb } from './process-stats.js';
import { renderMarkdown, roundLabel } from './report.js';
import { planFor, type DatabaseKind, type IdleScenario, type Scenario } from './scenarios.js';
import { runClusterScenarios } from './run-cluster.js';
import { repositoryRoot, startParley, startRelay, type ServerUnderTest } from './servers-under-test.js';
import { measureStartup } from './startup-memory.js';

/**
 * `npm run bench [-- --quick] [--only REGEX] [--db pglite,postgres] [--profile] [--out DIR] [--redis-url URL]`
 * Builds the server when dist/ is older than src/, starts the fake model, then for each
 * scenario measures the bare relay and Parley (on each database) with the same load
 * generator, then the cluster scenarios (run-cluster.ts: PostgreSQL and Redis), and writes
 * DIR/latest.md and .json, and DIR/<mode>.md and .json (DIR: bench/results).
 * The servers run on core 0, the load generator and the fake model on core 1.
 */

interface Options {
  mode: 'full' | 'quick' | 'tiny';
  only: RegExp | null;
  databases: DatabaseKind[] | null;
  profile: boolean;
  outDir: string;
  adminUrl: string;
  redisUrl: string;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index === -1 ? undefined : argv[index + 1];
  };
  const databases = value('db')?.split(',').map((name) => name.trim());
  for (const name of databases ?? []) if (name !== 'pglite' && name !== 'postgres') throw new Error(`--db: unknown database ${name}`);
  return {
    mode: argv.includes('--tiny') ? 'tiny' : argv.includes('--quick') ? 'quick' : 'full',
    only: value('only') ? new RegExp(value('only')!) : null,
    databases: (databases as DatabaseKind[] | undefined) ?? null,
    profile: argv.includes('--profile'),
    outDir: value('out') ?? join(repositoryRoot, 'bench', 'results'),
    adminUrl: value('admin-url') ?? process.env.BENCH_ADMIN_DATABASE_URL ?? defaultAdminUrl,
    redisUrl: value('redis-url') ?? process.env.BENCH_REDIS_URL ?? defaultRedisUrl,
  };
}

const runStartedAt = Date.now();

function say(line: string): void {
  process.stderr.write(`[${((Date.now() - runStartedAt) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
}

function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Each scenario as many times as its rounds, the rounds one after the other (relay, then Parley, then again). */
function scenarioRounds(scenarios: Scenario[]): Array<{ scenario: Scenario; round: number }> {
  return scenarios.flatMap((scenario) => Array.from({ length: scenario.kind === 'load' ? scenario.rounds : 1 }, (_, index) => ({ scenario, round: index + 1 })));
}

function buildServerIfStale(): void {
  const main = join(repositoryRoot, 'dist', 'main.js');
  let built: number;
  try {
    built = statSync(main).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= newestMtime(join(repositoryRoot, 'src'))) return;
  say('dist/ is older than src/: npm run build:server');
  const result = spawnSync('npm', ['run', 'build:server'], { cwd: repositoryRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('npm run build:server failed');
}

async function holdSessions(server: ServerUnderTest, sessions: number, prefix: string, logFile: string): Promise<{ child: Child; connected: number; connectMs: number }> {
  const child = startChild({
    name: 'idle-sessions',
    command: [process.execPath, '--import', 'tsx', join(repositoryRoot, 'bench', 'load-generator.ts'), '--idle', '--url', server.wsUrl, '--sessions', String(sessions), '--prefix', prefix],
    core: loadCore,
    logFile,
    stdin: true,
  });
  const line = await child.waitForLine(/^READY /, 300_000);
  const ready = JSON.parse(line.slice('READY '.length)) as { connected: number; connectMs: number };
  return { child, ...ready };
}

async function release(held: { child: Child }): Promise<void> {
  held.child.process.stdin?.end('release\n');
  const timer = setTimeout(() => void held.child.stop(1_000), 20_000);
  await held.child.exited;
  clearTimeout(timer);
}

async function measureIdle(
  scenario: IdleScenario,
  server: ServerUnderTest,
  kind: { server: 'relay' } | { server: 'parley'; database: DatabaseKind },
  logFile: string,
): Promise<{ measurement: IdleMeasurement; held: { child: Child } }> {
  const prefix = `i${Date.now().toString(36)}${kind.server === 'relay' ? 'r' : kind.database[0]}`;
  // Warm up: the first connections load code and fill caches that are not per session.
  const warm = await holdSessions(server, 50, `${prefix}w`, logFile);
  await release(warm);
  const before = await server.probe();
  const baselineRssKb = await readRssKb(server.child.pid);
  const held = await holdSessions(server, scenario.sessions, prefix, logFile);
  const after = await server.probe();
  const heldRssKb = await readRssKb(server.child.pid);
  const problems = held.connected < scenario.sessions ? [`only ${held.connected} of ${scenario.sessions} sessions connected`] : [];
  // The caller stops the server before releasing the sessions, so 10,000 closes do not each schedule a finalize.
  const measurement: IdleMeasurement = {
    ...kind,
    sessions: scenario.sessions,
    connected: held.connected,
    connectMs: held.connectMs,
    baselineRssKb,
    heldRssKb,
    perSessionKb: Math.round(((heldRssKb - baselineRssKb) / Math.max(1, held.connected)) * 100) / 100,
    heapPerSessionKb: Math.round(((after.memory.heapUsed - before.memory.heapUsed) / 1024 / Math.max(1, held.connected)) * 100) / 100,
    problems,
  };
  return { measurement, held };
}

/** The startup-memory scenario: the relay, and Parley on a fresh data directory or database that nothing else used. */
async function runStartup(
  result: Extract<ScenarioResult, { scenario: { kind: 'startup' } }>,
  context: { databases: DatabaseKind[]; adminUrl: string; modelBaseUrl: string; model: string; workDir: string; logFile: string; name: string },
): Promise<void> {
  const { modelBaseUrl, model, workDir, logFile } = context;
  say(`${result.scenario.name}: bare relay`);
  try {
    result.relay = await measureStartup(result.scenario, { server: 'relay' }, (onSpawn) => startRelay({ modelBaseUrl, model, workDir, logFile, core: serverCore, onSpawn }));
  } catch (error) {
    say(`  failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const database of context.databases) {
    say(`${result.scenario.name}: Parley on ${database}`);
    const databaseName = `parley_bench_${context.name}_startup`;
    const dataDir = join(workDir, `data-startup-${context.name}`);
    try {
      const target = database === 'pglite' ? ({ kind: 'pglite', dataDir } as const) : ({ kind: 'postgres', url: await createBenchDatabase(context.adminUrl, databaseName) } as const);
      result.parley[database] = await measureStartup(result.scenario, { server: 'parley', database }, (onSpawn) => startParley({ database: target, modelBaseUrl, model, workDir, logFile, core: serverCore, onSpawn }));
    } catch (error) {
      say(`  failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (database === 'postgres') await dropBenchDatabase(context.adminUrl, databaseName).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const options = parseOptions(process.argv.slice(2));
  const plan = planFor(options.mode);
  const scenarios = plan.scenarios.filter((scenario) => !options.only || options.only.test(scenario.name));
  let databases = options.databases ?? plan.databases;
  const notes: string[] = [];
  if (databases.includes('postgres') && !(await postgresAnswers(options.adminUrl))) {
    notes.push(`PostgreSQL at ${options.adminUrl} did not answer: its scenarios were skipped.`);
    databases = databases.filter((database) => database !== 'postgres');
  }
  mkdirSync(options.outDir, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const logFile = join(options.outDir, 'latest.log');
  writeFileSync(logFile, '');
  const pinning = canPin()
    ? `servers (Parley, bare relay) pinned to core ${serverCore} with taskset; load generator and fake model pinned to core ${loadCore}`
    : 'taskset is missing or refused: nothing is pinned, so servers and load share the cores';
  say(pinning);
  notes.push(
    'Fake model: OpenAI-compatible SSE on 127.0.0.1, 200 tokens per answer (`tok0 tok1 ...`), time to first token 0 ms; Parley reaches it through OPENAI_BASE_URL (its OpenAI-compatible model: `fetch` and its own SSE reader).',
    'Each load: C sessions connect first; first messages spread over min(1 s, C x 2 ms); each session sends its next message after `done`. Parley runs with rate limits off and FINALIZE_GRACE_MS=600000 (no summaries during the run).',
    'Parley runs from dist/ (tsc), the relay under tsx; both have bench/server-probe.mjs preloaded (GC on demand, event loop delay). Each server is fresh per scenario and warmed up first (20 sessions x 3 fast turns, not measured).',
    'PGlite: a fresh copy of one migrated data directory per run; PostgreSQL: a fresh database per run, dropped after.',
  );
  if (options.profile) notes.push(`Parley ran with --cpu-prof (profiles in ${options.outDir}); its figures include the profiler's overhead.`);

  buildServerIfStale();
  const fake = startChild({ name: 'fake-model', command: [process.execPath, '--import', 'tsx', join(repositoryRoot, 'bench', 'fake-model-server.ts')], core: loadCore, logFile });
  const modelBaseUrl = `${(await fake.waitForLine(/^READY /, 30_000)).slice('READY '.length)}/v1`;

  // PGlite's first start (initdb, migrations) takes seconds: done once, then copied per run.
  const pgliteTemplate = join(workDir, 'pglite-template');
  if (databases.includes('pglite') && scenarios.length > 0) {
    say('preparing a migrated PGlite data directory');
    const template = await startParley({ database: { kind: 'pglite', dataDir: pgliteTemplate }, modelBaseUrl, model: 'fake', workDir, logFile, core: serverCore });
    await template.child.stop(30_000);
  }

  const results: ScenarioResult[] = [];
  let cluster: BenchReport['cluster'];
  let databaseCounter = 0;
  try {
    for (const { scenario, round } of scenarioRounds(scenarios)) {
      const model = modelName(scenario.kind === 'load' ? scenario : { tokens: 200, delayMs: 0, firstTokenMs: 0 });
      const result = { scenario, round, relay: null, parley: {} } as ScenarioResult;
      results.push(result);
      const named = `${scenario.name}${roundLabel(result)}`;

      if (scenario.kind === 'startup') {
        await runStartup(result as Extract<ScenarioResult, { scenario: { kind: 'startup' } }>, { databases, adminUrl: options.adminUrl, modelBaseUrl, model, workDir, logFile, name: `${startedAt}_${databaseCounter++}` });
        continue;
      }

      say(`${named}: bare relay`);
      const relay = await startRelay({ modelBaseUrl, model, workDir, logFile, core: serverCore });
      try {
        if (scenario.kind === 'load') result.relay = await measureLoad(scenario, relay, { server: 'relay' }, logFile, fake.pid);
        else {
          const { measurement, held } = await measureIdle(scenario, relay, { server: 'relay' }, logFile);
          await relay.child.stop();
          await release(held);
          result.relay = measurement;
        }
      } catch (error) {
        say(`  failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await relay.child.stop();
      }

      for (const database of databases) {
        say(`${named}: Parley on ${database}`);
        const databaseName = `parley_bench_${startedAt}_${databaseCounter++}`;
        const dataDir = join(workDir, `data-${databaseCounter}`);
        let server: ServerUnderTest | null = null;
        try {
          if (database === 'pglite') cpSync(pgliteTemplate, dataDir, { recursive: true });
          const target =
            database === 'pglite'
              ? ({ kind: 'pglite', dataDir } as const)
              : ({ kind: 'postgres', url: await createBenchDatabase(options.adminUrl, databaseName) } as const);
          server = await startParley({
            database: target,
            modelBaseUrl,
            model,
            workDir,
            logFile,
            core: serverCore,
            ...(options.profile ? { cpuProfileDir: options.outDir } : {}),
          });
          if (scenario.kind === 'load') {
            (result.parley as Record<string, LoadMeasurement>)[database] = await measureLoad(scenario, server, { server: 'parley', database }, logFile, fake.pid);
          } else {
            const { measurement, held } = await measureIdle(scenario, server, { server: 'parley', database }, logFile);
            await server.child.stop(30_000);
            await release(held);
            (result.parley as Record<string, IdleMeasurement>)[database] = measurement;
          }
        } catch (error) {
          say(`  failed: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          await server?.child.stop(30_000);
          if (database === 'postgres') await dropBenchDatabase(options.adminUrl, databaseName).catch(() => undefined);
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    }
    cluster = await runClusterScenarios({ ...options, modelBaseUrl, workDir, logFile, fakeModelPid: fake.pid, say });
  } finally {
    await fake.stop();
    rmSync(workDir, { recursive: true, force: true });
  }

  const report: BenchReport = {
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: options.mode,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      kernel: `${kernelRelease()} ${arch()}`,
    },
    pinning,
    openFiles: openFilesLimit(),
    notes,
    results,
    cluster,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
  const markdown = renderMarkdown(report);
  // latest.* is the last run of any mode; <mode>.* keeps the last full and quick runs apart.
  for (const name of ['latest', options.mode]) {
    writeFileSync(join(options.outDir, `${name}.md`), markdown);
    writeFileSync(join(options.outDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  }
  process.stdout.write(markdown);
  say(`written: ${join(options.outDir, 'latest.md')} and latest.json (took ${report.durationSeconds} s)`);
}

main().catch((error: unknown) => {
  say(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
