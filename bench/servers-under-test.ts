import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startChild, type Child } from './child-process.js';

/** Starting the two servers the benchmark compares, each with the probe preloaded. */
export const repositoryRoot = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const probeModule = join(repositoryRoot, 'bench', 'server-probe.mjs');

export interface ProbeReport {
  report: number;
  memory: NodeJS.MemoryUsage;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

export interface ServerUnderTest {
  child: Child;
  wsUrl: string;
  /** Parley's HTTP base; null for the relay, which has no REST or metrics. */
  httpUrl: string | null;
  /** Collects garbage in the server, then returns its memory and event loop delay since the last probe. */
  probe(): Promise<ProbeReport>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function prober(child: Child, file: string): () => Promise<ProbeReport> {
  let last = 0;
  return async () => {
    process.kill(child.pid, 'SIGUSR2');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (existsSync(file)) {
        const report = JSON.parse(readFileSync(file, 'utf8')) as ProbeReport;
        if (report.report > last) {
          last = report.report;
          return report;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${child.name} did not answer the probe`);
  };
}

export async function startParley(options: {
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  modelBaseUrl: string;
  model: string;
  workDir: string;
  logFile: string;
  core: number | string;
  cpuProfileDir?: string;
  /** Settings on top of the benchmark's own (REDIS_URL, WORKERS for the cluster scenarios). */
  env?: Record<string, string>;
  /** Called as soon as the process exists, before it answers (the startup-memory scenario watches it). */
  onSpawn?: (pid: number) => void;
}): Promise<ServerUnderTest> {
  const port = await freePort();
  const probeFile = join(options.workDir, `probe-parley-${port}.json`);
  const child = startChild({
    name: 'parley',
    command: [
      process.execPath,
      '--expose-gc',
      ...startNodeFlags(),
      '--import',
      probeModule,
      ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []),
      join(repositoryRoot, 'dist', 'main.js'),
    ],
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...(options.database.kind === 'pglite' ? { DATA_DIR: options.database.dataDir, DATABASE_URL: '' } : { DATABASE_URL: options.database.url }),
      LLM_PROVIDER: 'openai',
      LLM_FALLBACK: '',
      OPENAI_BASE_URL: options.modelBaseUrl,
      OPENAI_MODEL: options.model,
      OPENAI_API_KEY: '',
      GEMINI_API_KEY: '',
      RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
      RATE_LIMIT_HTTP_PER_MINUTE: '0',
      RATE_LIMIT_CONNECTIONS_PER_MINUTE: '0',
      // Summaries would call the model after each session; the benchmark measures turns.
      FINALIZE_GRACE_MS: '600000',
      API_TOKEN: '',
      // One process without Redis unless the scenario says otherwise, whatever the environment or .env holds.
      REDIS_URL: '',
      WORKERS: '1',
      BENCH_PROBE_FILE: probeFile,
      ...options.env,
    },
    core: options.core,
    logFile: options.logFile,
  });
  options.onSpawn?.(child.pid);
  const httpUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.process.exitCode !== null) throw new Error(`Parley exited with ${child.process.exitCode} at start (log: ${options.logFile})`);
    try {
      const response = await fetch(`${httpUrl}/health`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`Parley did not become healthy within 60 s (log: ${options.logFile})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, wsUrl: `ws://127.0.0.1:${port}`, httpUrl, probe: prober(child, probeFile) };
}

export async function startRelay(options: {
  modelBaseUrl: string;
  model: string;
  workDir: string;
  logFile: string;
  core: number;
  onSpawn?: (pid: number) => void;
}): Promise<ServerUnderTest> {
  const port = await freePort();
  const probeFile = join(options.workDir, `probe-relay-${port}.json`);
  const child = startChild({
    name: 'bare-relay',
    command: [
      process.execPath,
      '--expose-gc',
      '--import',
      'tsx',
      '--import',
      probeModule,
      join(repositoryRoot, 'bench', 'bare-relay.ts'),
      '--port',
      String(port),
      '--model-url',
      options.modelBaseUrl,
      '--model',
      options.model,
    ],
    env: { BENCH_PROBE_FILE: probeFile },
    core: options.core,
    logFile: options.logFile,
  });
  options.onSpawn?.(child.pid);
  const line = await child.waitForLine(/^READY /, 30_000);
  return { child, wsUrl: line.slice('READY '.length), httpUrl: null, probe: prober(child, probeFile) };
}

/** The node flags of package.json's start script, so Parley is measured as `npm start` runs it. */
function startNodeFlags(): string[] {
  const packageJson = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return packageJson.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}
