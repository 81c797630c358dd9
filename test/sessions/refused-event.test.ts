import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRunner } from '../../src/llm/model-runner.js';
import type { TurnEvent } from '../../src/llm/turn-event.js';
import type { Database } from '../../src/store/types.js';
import { eventually } from '../support/eventually.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

/**
 * The database refuses a row for its data. Nothing a client sends can do that any more
 * (text is made storable), so a real CHECK constraint stands for whatever may: it refuses
 * the text "poison", as jsonb refused a lone surrogate.
 */
const refusePoison = `ALTER TABLE session_events ADD CONSTRAINT refuses_poison CHECK (content IS DISTINCT FROM 'poison')`;

/** Answers "answer poison" with the text the database refuses, anything else with an echo. */
const echoRunner: ModelRunner = {
  provider: 'scripted',
  modelId: 'echo',
  async *runTurn({ history }): AsyncGenerator<TurnEvent> {
    const last = history.at(-1);
    const asked = last?.type === 'user_message' ? last.content : '';
    yield { type: 'text', text: asked === 'answer poison' ? 'poison' : `echo: ${asked}` };
    yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 1 } };
  },
  summarize: async () => ({ summary: 'scripted summary', method: 'extractive' }),
  describe: () => ({ provider: 'scripted', model: 'echo' }),
};

/** Holds a lock that makes every insert into session_events wait, until released. */
function holdWrites(database: Database): { held: Promise<void>; release(): void; ended: Promise<unknown> } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let markHeld!: () => void;
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  const ended = database
    .transaction(async (transaction) => {
      await transaction.query('LOCK TABLE session_events IN EXCLUSIVE MODE');
      markHeld();
      await released;
    })
    .catch(() => undefined);
  return { held, release, ended };
}

describe.each(serverDatabaseVariants)('an event the database refuses, on $kind', (variant) => {
  let database: ServerDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await variant.create();
    server = await startServer({ ...database.settings, ACK_TIMEOUT_MS: '60000' }, { runner: echoRunner });
    await server.app.parley.database.query(refusePoison);
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  it('is logged as write_failed and its session told, while the other sessions in its batch are written', async () => {
    const ids = ['batch-first', 'batch-poisoned', 'batch-second', 'batch-third'];
    // The sessions exist before the lock (a new one's row would wait behind it: PGlite runs one statement at a time).
    for (const sessionId of ids) await server.app.parley.store.openSession(sessionId, null);
    const [first, poisoned, second, third] = await Promise.all(ids.map((sessionId) => TestClient.connect(server.wsUrl, sessionId)));
    const lock = holdWrites(server.app.parley.database);
    await lock.held;
    first!.send({ type: 'message', content: 'written before', id: 'f1' });
    await eventually(() => server.app.parley.writer.pending === 1);
    // These three wait behind the first write and go out together, in one batch.
    poisoned!.send({ type: 'message', content: 'poison', id: 'p1' });
    second!.send({ type: 'message', content: 'from the second session', id: 's1' });
    third!.send({ type: 'message', content: 'from the third session', id: 't1' });
    await eventually(() => server.app.parley.writer.pending === 4);
    lock.release();
    await lock.ended;

    expect(await poisoned!.waitFor('error')).toMatchObject({ code: 'write_failed', id: 'p1', recoverable: true });
    for (const [client, id] of [[first, 'f1'], [second, 's1'], [third, 't1']] as const) {
      expect(await client!.waitFor('ack')).toMatchObject({ id });
      expect((await client!.waitFor('done')).finish_reason).toBe('stop');
    }
    expect(poisoned!.frames.some((frame) => frame.type === 'ack')).toBe(false);
    const next = await poisoned!.ask('after the refusal', { id: 'p2' });
    expect(next[0]).toMatchObject({ type: 'ack', id: 'p2', content: 'after the refusal' });
    expect(next.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });

    await server.app.parley.writer.flush();
    const poisonedLog = await server.app.parley.store.loadEvents('batch-poisoned');
    expect(poisonedLog.map((event) => [event.event_type, event.content])).toStrictEqual([
      ['write_failed', null],
      ['user_message', 'after the refusal'],
      ['assistant_message', 'echo: after the refusal'],
    ]);
    expect(poisonedLog[0]!.metadata).toStrictEqual({ refused_event_type: 'user_message', refused_seq: 1, content_length: 6, sqlstate: '23514' });
    for (const [sessionId, content] of [['batch-second', 'from the second session'], ['batch-third', 'from the third session']]) {
      const log = await server.app.parley.store.loadEvents(sessionId!);
      expect(log.map((event) => event.content)).toStrictEqual([content, `echo: ${content}`]);
    }
    expect((await server.app.inject({ url: '/metrics' })).body).toMatch(/^parley_event_write_poisoned_total 1$/m);
    expect((await server.app.inject({ url: '/health' })).statusCode).toBe(200);
    for (const client of [first, poisoned, second, third]) await client!.close();
  }, 120_000);

  it('tells the session when its answer is refused, ends the turn with done, and the next turn works', async () => {
    const client = await TestClient.connect(server.wsUrl, 'refused-answer');
    const frames = await client.ask('answer poison');
    expect(frames.map((frame) => frame.type)).toStrictEqual(['ack', 'token', 'error', 'done']);
    expect(frames[2]).toMatchObject({ code: 'write_failed', recoverable: true });
    expect(frames[2]).not.toHaveProperty('seq');
    const next = await client.ask('still there?');
    expect(TestClient.text(next)).toBe('echo: still there?');

    await server.app.parley.writer.flush();
    const log = await server.app.parley.store.loadEvents('refused-answer');
    expect(log.map((event) => [event.event_type, event.content])).toStrictEqual([
      ['user_message', 'answer poison'],
      ['write_failed', null],
      ['user_message', 'still there?'],
      ['assistant_message', 'echo: still there?'],
    ]);
    expect(log[1]).toMatchObject({ seq: (frames[3] as { seq: number }).seq, metadata: { refused_event_type: 'assistant_message' } });
    await client.close();
  }, 120_000);

  it('answers /health with 503 while a write has waited longer than ACK_TIMEOUT_MS, and 200 once it is written', async () => {
    const stalling = await startServer({ ...database.settings, ACK_TIMEOUT_MS: '300' }, { runner: echoRunner });
    await stalling.app.parley.store.openSession('stalled-health', null);
    const client = await TestClient.connect(stalling.wsUrl, 'stalled-health');
    const lock = holdWrites(stalling.app.parley.database);
    await lock.held;
    client.send({ type: 'message', content: 'waiting for the lock' });

    const stalled = await eventually(async () => {
      const response = await stalling.app.inject({ url: '/health' });
      return response.statusCode === 503 ? response.json<{ status: string; event_writer: { pending: number; stalled_ms: number } }>() : undefined;
    }, 30_000);
    expect(stalled).toMatchObject({ status: 'unavailable', event_writer: { pending: 1 } });
    expect(stalled.event_writer.stalled_ms).toBeGreaterThan(300);
    expect((await stalling.app.inject({ url: '/metrics' })).body).toMatch(/^parley_event_writer_stalled_seconds 0\.[3-9]|^parley_event_writer_stalled_seconds [1-9]/m);

    lock.release();
    await lock.ended;
    await client.waitFor('ack');
    const healthy = await stalling.app.inject({ url: '/health' });
    expect(healthy.statusCode).toBe(200);
    expect(healthy.json()).toMatchObject({ status: 'ok' });
    expect(healthy.json<{ event_writer: { stalled_ms: number } }>().event_writer.stalled_ms).toBeLessThan(300);
    await client.close();
    await stalling.close();
  }, 120_000);

  // PostgreSQL only: on PGlite the lock that holds the write also holds closing the database,
  // so the bound there is the database's, not the writer's.
  if (variant.kind === 'postgres') it('shuts down within its bound while a write hangs and a finalize waits for it', async () => {
    const hanging = await startServer({ ...database.settings, SHUTDOWN_TIMEOUT_MS: '300', FINALIZE_GRACE_MS: '1500', ACK_TIMEOUT_MS: '300' }, { runner: echoRunner });
    const finalizeDue = async () =>
      (await hanging.app.parley.database.query<{ due: unknown }>('SELECT finalize_due_at AS due FROM sessions WHERE session_id = $1', ['left-before']))[0]?.due ?? null;
    const left = await TestClient.connect(hanging.wsUrl, 'left-before');
    await left.ask('hello');
    await left.close();
    await eventually(async () => (await finalizeDue()) !== null);
    const lock = holdWrites(hanging.app.parley.database);
    await lock.held;
    const stuck = await TestClient.connect(hanging.wsUrl, 'stuck-at-shutdown');
    stuck.send({ type: 'message', content: 'never written' });
    await eventually(() => hanging.app.parley.writer.stalledMs > 0);
    // The finalize of the session that left claims it, then waits for the writer to flush: it never can.
    await eventually(async () => (await finalizeDue()) === null);

    const startedAt = performance.now();
    const closed = await Promise.race([
      hanging.close().then(() => 'closed' as const),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000)),
    ]);
    expect(closed).toBe('closed');
    // SHUTDOWN_TIMEOUT_MS for the turn and again for the writer, then postgres.js's 5 s to end.
    expect(performance.now() - startedAt).toBeLessThan(15_000);
    lock.release();
    await lock.ended;
  }, 120_000);
});
