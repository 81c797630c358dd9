import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import type { PgliteReply, PgliteRequest, PgliteWorkerData } from './pglite-messages.js';
import { pgliteOptions } from './pglite-options.js';
import { preparedQueries, type PreparedQuery } from './pglite-prepared.js';

/**
 * The embedded database's own thread. PGlite runs PostgreSQL as WASM, synchronously: on the
 * server's thread a batch of writes, or a burst of sessions opening, held up every socket
 * for as long (docs/architecture.md, "Measured choices on the hot path"). Here it answers
 * one message per statement, each run as a prepared statement (pglite-prepared.ts), and an
 * open transaction holds PGlite's lock until its `end` comes, as in-process transactions do.
 */
const port = parentPort;
if (!port) throw new Error('pglite-worker.ts runs as a worker thread');

const { dataDir, fromDump } = workerData as PgliteWorkerData;

/**
 * PGlite decodes each text value with a default TextDecoder, which drops a leading U+FEFF:
 * a message that starts with one came back one character short. This thread's decoders keep
 * it, as postgres.js does; set before PGlite creates its decoders.
 */
class TextDecoderKeepingByteOrderMark extends TextDecoder {
  constructor(label?: string, options?: ConstructorParameters<typeof TextDecoder>[1]) {
    super(label, { ...options, ignoreBOM: true });
  }
}
globalThis.TextDecoder = TextDecoderKeepingByteOrderMark;
const transactions = new Map<number, { tx: Transaction; end: (commit: boolean) => void; ended: Promise<unknown> }>();
let nextTransaction = 1;
// Thrown inside PGlite's transaction callback to make it roll back; caught right after.
const rollback = new Error('rollback');

const reply = (message: PgliteReply) => port.postMessage(message);

function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  // DatabaseError's SQLSTATE and details are own properties: keep them all.
  return { ...error, name: error.name, message: error.message };
}

async function begin(pglite: PGlite): Promise<number> {
  let opened!: (tx: Transaction) => void;
  const ready = new Promise<Transaction>((resolve) => {
    opened = resolve;
  });
  let end!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => {
    end = resolve;
  });
  const ended = pglite
    .transaction(async (tx) => {
      opened(tx);
      if (!(await decided)) throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  const tx = await Promise.race([ready, ended.then(() => Promise.reject(new Error('the transaction ended before it began')))]);
  const id = nextTransaction++;
  transactions.set(id, { tx, end, ended });
  return id;
}

async function handle(pglite: PGlite, prepared: PreparedQuery, request: PgliteRequest): Promise<PgliteReply> {
  switch (request.kind) {
    case 'query': {
      if (request.tx === undefined) return { id: request.id, rows: await prepared(request.text, request.params) };
      const tx = transactions.get(request.tx)?.tx;
      if (!tx) throw new Error(`no open transaction ${request.tx}`);
      const result = await tx.query(request.text, request.params);
      return { id: request.id, rows: result.rows as Record<string, unknown>[] };
    }
    case 'exec': {
      const target = request.tx === undefined ? pglite : transactions.get(request.tx)?.tx;
      if (!target) throw new Error(`no open transaction ${request.tx}`);
      await target.exec(request.script);
      return { id: request.id, rows: [] };
    }
    case 'begin':
      return { id: request.id, tx: await begin(pglite) };
    case 'end': {
      const open = transactions.get(request.tx);
      if (!open) throw new Error(`no open transaction ${request.tx}`);
      transactions.delete(request.tx);
      open.end(request.commit);
      await open.ended;
      return { id: request.id, rows: [] };
    }
    case 'dump': {
      const tarball = await pglite.dumpDataDir('none');
      return { id: request.id, dump: new Uint8Array(await tarball.arrayBuffer()) };
    }
    case 'close':
      if (!pglite.closed) await pglite.close();
      return { id: request.id, rows: [] };
  }
}

try {
  const pglite = await PGlite.create(dataDir, {
    ...pgliteOptions,
    parsers: { [types.INT8]: (value: string) => Number(value) },
    ...(fromDump === undefined ? {} : { loadDataDir: new Blob([fromDump]) }),
  });
  const prepared = preparedQueries(pglite);
  port.on('message', (request: PgliteRequest) => {
    handle(pglite, prepared, request).then(reply, (error: unknown) => reply({ id: request.id, error: describeError(error) }));
  });
  reply({ id: 0, rows: [] });
} catch (error) {
  reply({ id: 0, error: describeError(error) });
}
