/**
 * Long sessions (issue 20): the time from a WebSocket upgrade to its `session` frame for
 * sessions of 5,000 turns, cold (loaded from the log) and warm (live in memory), and the
 * server's memory with 100 of them live against 100 short ones. Each kind runs in a fresh
 * server process (long-session-server.ts) so their heaps stay apart; the sockets live here.
 *
 *   npx tsx bench/long-session.ts [--database postgres|pglite] [--sessions 100] [--turns 5000]
 *                                 [--short-turns 10] [--resumes 200]
 *
 * PostgreSQL: a fresh database per kind on BENCH_ADMIN_URL (default the local test server),
 * dropped afterwards. BENCH_SOURCE: measure another checkout's src/ the same way.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { percentile } from '../src/stats/percentile.js';
import { createBenchDatabase, defaultAdminUrl, dropBenchDatabase } from './bench-database.js';
import type { ServerReply, ServerRequest } from './long-session-server.js';

const { values: options } = parseArgs({
  options: {
    database: { type: 'string', default: 'postgres' },
    sessions: { type: 'string', default: '100' },
    turns: { type: 'string', default: '5000' },
    'short-turns': { type: 'string', default: '10' },
    resumes: { type: 'string', default: '200' },
  },
});
const sessions = Number(options.sessions);
const resumes = Number(options.resumes);
const adminUrl = process.env.BENCH_ADMIN_URL ?? defaultAdminUrl;

interface KindResult {
  kind: string;
  turns: number;
  seedMs: number;
  frameBytes: number;
  cold: number[];
  warm: number[];
  idle: Extract<ServerReply, { type: 'memory' }>;
  live: Extract<ServerReply, { type: 'memory' }>;
}

class ServerProcess {
  readonly #child: ChildProcess;
  readonly #replies: ServerReply[] = [];
  #waiting: ((reply: ServerReply) => void) | null = null;

  constructor(env: Record<string, string>) {
    this.#child = fork(new URL('./long-session-server.ts', import.meta.url).pathname, [], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (reply: ServerReply) => {
      if (this.#waiting) {
        const resolve = this.#waiting;
        this.#waiting = null;
        resolve(reply);
      } else this.#replies.push(reply);
    });
  }

  next(): Promise<ServerReply> {
    const queued = this.#replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  async ask<T extends ServerReply['type']>(request: ServerRequest | null, type: T): Promise<Extract<ServerReply, { type: T }>> {
    if (request) this.#child.send(request);
    const reply = await this.next();
    if (reply.type !== type) throw new Error(`expected ${type}, got ${reply.type}`);
    return reply as Extract<ServerReply, { type: T }>;
  }
}

/** Opens a socket and resolves once its `session` frame is in: milliseconds from the upgrade, and the frame's size. */
function connect(port: number, sessionId: string): Promise<{ socket: WebSocket; ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/session/${sessionId}`);
    socket.once('message', (data: Buffer) => {
      const ms = performance.now() - started;
      const frame = JSON.parse(data.toString('utf8')) as { type: string };
      if (frame.type !== 'session') reject(new Error(`first frame was ${frame.type}`));
      else resolve({ socket, ms, bytes: data.length });
    });
    socket.once('error', reject);
    socket.once('close', (code, reason) => reject(new Error(`${sessionId}: closed with ${code} ${reason.toString()} before its session frame`)));
  });
}

async function close(socket: WebSocket): Promise<void> {
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.close();
  });
}

async function measure(kind: string, turns: number): Promise<KindResult> {
  const databaseName = `parley_long_${kind}_${process.pid}`;
  const dataDir = options.database === 'pglite' ? await mkdtemp(join(tmpdir(), 'parley-long-')) : null;
  const env: Record<string, string> = dataDir ? { BENCH_DATA_DIR: dataDir } : { BENCH_DATABASE_URL: await createBenchDatabase(adminUrl, databaseName) };
  const server = new ServerProcess(env);
  try {
    const { port } = await server.ask(null, 'ready');
    const { ms: seedMs } = await server.ask({ type: 'seed', prefix: kind, sessions, turns }, 'seeded');
    const idle = await server.ask({ type: 'memory' }, 'memory');
    const sockets: WebSocket[] = [];
    const cold: number[] = [];
    let frameBytes = 0;
    for (let index = 0; index < sessions; index += 1) {
      const joined = await connect(port, `${kind}-${index}`);
      sockets.push(joined.socket);
      cold.push(joined.ms);
      frameBytes += joined.bytes;
    }
    const live = await server.ask({ type: 'memory' }, 'memory');
    const warm: number[] = [];
    for (let index = 0; index < resumes; index += 1) {
      const joined = await connect(port, `${kind}-${index % sessions}`);
      warm.push(joined.ms);
      await close(joined.socket);
    }
    await Promise.all(sockets.map(close));
    await server.ask({ type: 'stop' }, 'stopped');
    return { kind, turns, seedMs, frameBytes: frameBytes / sessions, cold, warm, idle, live };
  } finally {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    else await dropBenchDatabase(adminUrl, databaseName);
  }
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const milliseconds = (values: number[], fraction: number) => percentile(values, fraction).toFixed(1);

const results = [await measure('long', Number(options.turns)), await measure('short', Number(options['short-turns']))];
console.log(`\n${sessions} sessions on ${options.database}; ${resumes} warm resumes each\n`);
console.log('| sessions of | seeded in | session frame | cold p50 / p99 / max | warm p50 / p99 / max | heap idle -> live | RSS idle -> live |');
console.log('|---|---|---|---|---|---|---|');
for (const result of results) {
  console.log(
    `| ${result.turns} turns | ${(result.seedMs / 1000).toFixed(0)} s | ${(result.frameBytes / 1024).toFixed(1)} KB | ` +
      `${milliseconds(result.cold, 0.5)} / ${milliseconds(result.cold, 0.99)} / ${Math.max(...result.cold).toFixed(1)} ms | ` +
      `${milliseconds(result.warm, 0.5)} / ${milliseconds(result.warm, 0.99)} / ${Math.max(...result.warm).toFixed(1)} ms | ` +
      `${megabytes(result.idle.heapUsed)} -> ${megabytes(result.live.heapUsed)} MB | ${megabytes(result.idle.rss)} -> ${megabytes(result.live.rss)} MB |`,
  );
}
const [long, short] = results as [KindResult, KindResult];
console.log(`\nlive long / live short: heap ${(long.live.heapUsed / short.live.heapUsed).toFixed(2)}x, RSS ${(long.live.rss / short.live.rss).toFixed(2)}x`);
console.log(`added by going live, long / short: heap ${megabytes(long.live.heapUsed - long.idle.heapUsed)} / ${megabytes(short.live.heapUsed - short.idle.heapUsed)} MB`);
