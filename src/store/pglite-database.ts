import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PgliteReply, PgliteRequest, PgliteWorkerData } from './pglite-messages.js';
import { useBaselineWasmCompiler } from './pglite-options.js';
import type { Database, Queryable } from './types.js';

export const inMemoryDataDir = 'memory://';

type Pending = { resolve: (reply: PgliteReply) => void; reject: (error: Error) => void };
type Request = PgliteRequest extends infer R ? (R extends PgliteRequest ? Omit<R, 'id'> : never) : never;

/**
 * Embedded PostgreSQL (WASM): the default when no DATABASE_URL is set. PGlite runs in a
 * worker thread (pglite-worker.ts) so that its synchronous work never holds up the sockets;
 * this side only posts statements and awaits rows. bigint columns come back as numbers, as
 * from the postgres.js driver.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Set once the thread is gone: every call after fails with it. */
  #stopped: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: PgliteReply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if ('error' in reply) pending.reject(toError(reply.error));
      else pending.resolve(reply);
    });
    worker.on('error', (error) => this.#stop(error));
    worker.on('exit', (code) => this.#stop(new Error(`the embedded database stopped (exit code ${code})`)));
  }

  /**
   * `dataDir` is created when missing; `memory://` keeps nothing on disk, and starts from
   * `fromDump` (a `dump()`) when given: its initdb alone took 2-8 s, a copy under a second.
   */
  static async open(dataDir: string, options: { fromDump?: Uint8Array } = {}): Promise<PgliteDatabase> {
    useBaselineWasmCompiler();
    let location = dataDir;
    if (dataDir !== inMemoryDataDir) {
      location = resolve(dataDir);
      await mkdir(location, { recursive: true });
      if (!existsSync(join(location, 'PG_VERSION'))) await createDataDir(location);
    }
    const database = new PgliteDatabase(startWorker({ dataDir: location, ...(location === inMemoryDataDir && options.fromDump ? { fromDump: options.fromDump } : {}) }));
    try {
      await database.#await(0);
    } catch (error) {
      await database.worker.terminate();
      throw error;
    }
    return database;
  }

  async query<Row = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<Row[]> {
    const reply = await this.#call({ kind: 'query', text, params });
    return (reply as { rows: Row[] }).rows;
  }

  async exec(script: string): Promise<void> {
    await this.#call({ kind: 'exec', script });
  }

  async transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    const { tx } = (await this.#call({ kind: 'begin' })) as { tx: number };
    let result: T;
    try {
      result = await work({
        query: async <Row = Record<string, unknown>>(text: string, params: unknown[] = []) =>
          ((await this.#call({ kind: 'query', text, params, tx })) as { rows: Row[] }).rows,
        exec: async (script: string) => {
          await this.#call({ kind: 'exec', script, tx });
        },
      });
    } catch (error) {
      await this.#call({ kind: 'end', tx, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.#call({ kind: 'end', tx, commit: true });
    return result;
  }

  /** The data directory as an uncompressed tarball (PGlite's dumpDataDir). */
  async dump(): Promise<Uint8Array> {
    return ((await this.#call({ kind: 'dump' })) as { dump: Uint8Array }).dump;
  }

  async close(): Promise<void> {
    if (this.#stopped) return;
    await this.#call({ kind: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }

  #call(request: Request): Promise<PgliteReply> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    const reply = this.#await(id);
    this.worker.postMessage({ ...request, id });
    return reply;
  }

  #await(id: number): Promise<PgliteReply> {
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }

  #stop(error: Error): void {
    this.#stopped ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/**
 * The worker's young generation is capped: PGlite's JavaScript side makes little garbage,
 * and a young generation left to grow stays committed. In the benchmark, memory per idle
 * session on PGlite was 12.3 KB with the worker uncapped and 10.3-10.7 KB capped (8.3-11 KB
 * with PGlite on the main thread).
 */
const workerLimits = { maxYoungGenerationSizeMb: 4 };

/** From dist/ the worker is plain JavaScript; from the TypeScript sources (tests, `npm run dev`) tsx loads it first. */
function startWorker(data: PgliteWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData: data, resourceLimits: workerLimits });
  }
  const source = JSON.stringify(new URL('./pglite-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${source}); });`, {
    eval: true,
    workerData: data,
    resourceLimits: workerLimits,
  });
}

/** PGlite's initdb in a process of its own (pglite-create-data-dir.ts), so its memory is gone before the server's thread opens the directory. */
async function createDataDir(location: string): Promise<void> {
  const script = fileURLToPath(new URL(`./pglite-create-data-dir${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  const node = import.meta.url.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
  const child = spawn(process.execPath, [...node, location], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the embedded database could not create ${location}: ${stderr.trim() || `exit code ${code}`}`);
}

/** A database error as it crossed the thread: its message, and its SQLSTATE and details as properties. */
function toError(fields: Record<string, unknown>): Error {
  const error = new Error(typeof fields.message === 'string' ? fields.message : 'embedded database error');
  Object.assign(error, fields);
  return error;
}
