import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, release as kernelRelease, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createBenchDatabase, defaultAdminUrl, dropBenchDatabase, postgresAnswers } from './bench-database.js';
import { canPin, openFilesLimit, startChild, type Child } from './child-process.js';
import { modelName, paceDirective } from './fake-answer.js';
import type { LoadResult } from './load-generator.js';
import type { BenchReport, IdleMeasurement, LoadMeasurement, ScenarioResult } from './measurement.js';
import { fetchMetrics, metricValue } from './prometheus-text.js';
import { readCpuMs, readRssKb, watchPeakRss } from './process-stats.js';
import { renderMarkdown, roundLabel } from './report.js';
import { planFor, type DatabaseKind, type IdleScenario, type LoadScenario, type Scenario } from './scenarios.js';
import { repositoryRoot, startParley, startRelay, type ServerUnderTest } from './servers-under-test.js';
import { measureStartup } from './startup-memory.js';
import { verifyEvents } from './verify-events.js';

/**
 * `npm run bench [-- --quick] [--only REGEX] [--db pglite,postgres] [--profile] [--out DIR]`
 * Builds the server when dist/ is older than src/, starts the fake model, then for each
 * scenario measures the bare relay and Parley (on each database) with the same load
 * generator, and writes DIR/latest.md and .json, and DIR/<mode>.md and .json (DIR: bench/results).
 * The servers run on core 0, the load generator and the fake model on core 1.
 */
const serverCore = 0;
const loadCore = 1;

interface Options {
  mode: 'full' | 'quick' | 'tiny';
  only: RegExp | null;
  databases: DatabaseKind[] | null;
  profile: boolean;
  outDir: string;
  adminUrl: string;
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

/** A short fast load before measuring, so both servers are measured warm (JIT, pools). */
const warmUp = { sessions: 20, messages: 3, tokens: 20, delayMs: 0, firstTokenMs: 0 };

async function runLoadGenerator(
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
      '--sessions', String(scenario.sessions),
      '--messages', String(scenario.messages),
      '--tokens', String(scenario.tokens),
      '--prefix', prefix,
      '--ramp-ms', String(scenario.rampMs),
      '--turn-timeout-ms', String(120_000 + scenario.firstTokenMs + scenario.tokens * scenario.delayMs * 3),
      ...(paceDirective ? ['--pace', paceDirective] : []),
    ],
    core: loadCore,
    logFile,
  });
  const line = await child.waitForLine(/^RESULT /, 300_000);
  await child.exited;
  return JSON.parse(line.slice('RESULT '.length)) as LoadResult;
}

/** Waits until Parley's writer has nothing left to write, so the database is complete. */
async function waitForWriter(httpUrl: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const pending = metricValue(await fetchMetrics(httpUrl), 'parley_event_writer_pending');
    if (pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measureLoad(
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
  if (load.connectFailures > 0) problems.push(`${load.connectFailures} sessions could not connect`);
  const bad = load.outcomes.lost + load.outcomes.wrong + load.outcomes.out_of_order;
  if (bad > 0) problems.push(`turns lost ${load.outcomes.lost}, wrong ${load.outcomes.wrong}, out of order ${load.outcomes.out_of_order}`);
  if ((load.clientCpuMs + fakeModelCpuMs) / load.durationMs > 0.9) problems.push('the load generator and the fake model used >90% of their core: the load side may be the limit');
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
  if (databases.includes('pglite')) {
    say('preparing a migrated PGlite data directory');
    const template = await startParley({ database: { kind: 'pglite', dataDir: pgliteTemplate }, modelBaseUrl, model: 'fake', workDir, logFile, core: serverCore });
    await template.child.stop(30_000);
  }

  const results: ScenarioResult[] = [];
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
