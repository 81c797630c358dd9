import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventWriter } from '../../src/store/event-writer.js';
import { appendEventsSql, createSessionStore } from '../../src/store/session-store.js';
import type { Database, NewEvent, SessionStore } from '../../src/store/types.js';
import { databaseVariants, type TestDatabase } from './databases.js';

/** The real store, made to fail on purpose: the one fake these tests allow. */
class UnreliableStore implements Pick<SessionStore, 'appendEvents'> {
  down = false;
  failuresLeft = 0;
  /** Numbers (from 1) of the calls that fail as if the connection dropped. */
  readonly dropCalls = new Set<number>();
  calls = 0;
  /** While set, a write waits for it: a slow database, not a dead one. */
  hold: Promise<void> | null = null;
  /** Sizes of the batches that were written. */
  readonly writtenBatches: number[] = [];
  #callListeners: Array<() => void> = [];

  constructor(private readonly store: SessionStore) {}

  /** Resolves at the next appendEvents call, before it is answered. */
  nextCall(): Promise<void> {
    return new Promise((resolve) => this.#callListeners.push(resolve));
  }

  async appendEvents(events: readonly NewEvent[]): Promise<void> {
    const listeners = this.#callListeners;
    this.#callListeners = [];
    for (const listener of listeners) listener();
    this.calls += 1;
    if (this.hold) await this.hold;
    if (this.down || this.failuresLeft > 0 || this.dropCalls.has(this.calls)) {
      if (!this.down) this.failuresLeft -= 1;
      throw new Error('connection refused (on purpose)');
    }
    await this.store.appendEvents(events);
    this.writtenBatches.push(events.length);
  }
}

const event = (sessionId: string, seq: number, content = `${sessionId}-${seq}`): NewEvent => ({
  session_id: sessionId,
  event_type: 'user_message',
  content,
  metadata: {},
  seq,
});

describe.each(databaseVariants)('event writer on $kind', (variant) => {
  let testDatabase: TestDatabase;
  let database: Database;
  let store: SessionStore;
  let unreliable: UnreliableStore;

  const storedContents = async () =>
    (await database.query<{ content: string }>('SELECT content FROM session_events ORDER BY id')).map((row) => row.content);

  beforeAll(async () => {
    testDatabase = await variant.create();
    database = testDatabase.database;
    store = createSessionStore(database);
  });
  afterAll(async () => {
    await testDatabase?.dispose();
  });
  beforeEach(async () => {
    await database?.query('TRUNCATE sessions CASCADE');
    for (const sessionId of ['a', 'b', 'c']) await store.openSession(sessionId, null);
    unreliable = new UnreliableStore(store);
  });

  it('writes events in append order across batches', async () => {
    const writer = new EventWriter(unreliable, { maxBatch: 7 });
    const events = Array.from({ length: 40 }, (_, index) => event(['a', 'b', 'c'][index % 3]!, index + 1));

    await Promise.all(events.map((each) => writer.append(each)));

    expect(await storedContents()).toStrictEqual(events.map((each) => each.content));
    expect(unreliable.writtenBatches).toStrictEqual([7, 7, 7, 7, 7, 5]);
    expect(writer.roundTrips).toBe(6);
    expect(writer.pending).toBe(0);
  });

  it('writes 100 appends made in one tick in one round trip', async () => {
    const writer = new EventWriter(unreliable);
    await Promise.all(Array.from({ length: 100 }, (_, index) => writer.append(event(index % 2 ? 'a' : 'b', index))));
    expect(writer.roundTrips).toBe(1);
    expect(unreliable.writtenBatches).toStrictEqual([100]);
  });

  it('gathers what is appended during a write into the next write', async () => {
    const writer = new EventWriter(unreliable);
    const writing = unreliable.nextCall();
    const first = writer.append(event('a', 1));
    await writing;
    const later = Array.from({ length: 10 }, (_, index) => writer.append(event('b', index + 1)));
    expect(writer.pending).toBe(11);

    await Promise.all([first, ...later]);

    expect(unreliable.writtenBatches).toStrictEqual([1, 10]);
    expect(await storedContents()).toStrictEqual(['a-1', ...Array.from({ length: 10 }, (_, index) => `b-${index + 1}`)]);
  });

  it('loses nothing and keeps the order when the database fails a few times', async () => {
    const attempts: number[] = [];
    const writer = new EventWriter(unreliable, { maxBatch: 8, retryBaseMs: 1, retryMaxMs: 4, onError: (_error, attempt) => attempts.push(attempt) });
    unreliable.failuresLeft = 3;
    const events = Array.from({ length: 20 }, (_, index) => event('a', index + 1));

    await Promise.all(events.map((each) => writer.append(each)));

    expect(await storedContents()).toStrictEqual(events.map((each) => each.content));
    expect(attempts).toStrictEqual([1, 2, 3]);
    expect(writer.failures).toBe(3);
    expect(writer.roundTrips).toBe(3);
    expect(writer.poisoned).toBe(0);
  });

  it('gives up on a user message that waited past its deadline, and writes the events around it', async () => {
    const writer = new EventWriter(unreliable, { retryBaseMs: 1, retryMaxMs: 5 });
    unreliable.down = true;
    const failing = unreliable.nextCall();
    const before = writer.append(event('a', 1, 'running turn'));
    await failing;

    const message = writer.append(event('b', 1, 'user message'), { deadlineMs: 20 });
    const after = writer.append(event('c', 1, 'later event'));
    await expect(message).rejects.toMatchObject({
      code: 'storage_unavailable',
      message: 'The database is not answering; the message was not stored. Try again.',
    });
    expect(writer.pending).toBe(2);

    unreliable.down = false;
    await Promise.all([before, after]);
    expect(await storedContents()).toStrictEqual(['running turn', 'later event']);
  });

  it('waits for a message inside a running write, past its deadline', async () => {
    const writer = new EventWriter(unreliable, { retryBaseMs: 1, retryMaxMs: 5 });
    let release!: () => void;
    unreliable.hold = new Promise((resolve) => {
      release = resolve;
    });
    const writing = unreliable.nextCall();
    const inFlight = writer.append(event('a', 1, 'slow but written'), { deadlineMs: 5 });
    await writing;
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    unreliable.hold = null;
    await expect(inFlight).resolves.toBeUndefined();
    expect(await storedContents()).toStrictEqual(['slow but written']);
  });

  it('gives up on a message whose writes keep failing past its deadline, and never writes it later', async () => {
    const writer = new EventWriter(unreliable, { retryBaseMs: 1, retryMaxMs: 5 });
    unreliable.down = true;
    const failing = unreliable.nextCall();
    const refused = writer.append(event('a', 1, 'refused'), { deadlineMs: 20 });
    const turnEvent = writer.append(event('a', 2, 'kept'));
    await failing;
    await expect(refused).rejects.toMatchObject({ code: 'storage_unavailable' });
    unreliable.down = false;
    await turnEvent;
    expect(await storedContents()).toStrictEqual(['kept']);
  });

  it('refuses a message at once when the queue is full, but still takes events of running turns', async () => {
    const writer = new EventWriter(unreliable, { maxQueue: 3, retryBaseMs: 1, retryMaxMs: 5 });
    unreliable.down = true;
    const failing = unreliable.nextCall();
    const accepted = [writer.append(event('a', 1))];
    await failing;
    accepted.push(writer.append(event('a', 2)), writer.append(event('a', 3)), writer.append(event('a', 4)));

    await expect(writer.append(event('b', 1), { deadlineMs: 60_000 })).rejects.toMatchObject({ code: 'storage_unavailable' });
    accepted.push(writer.append(event('a', 5)));
    expect(writer.pending).toBe(5);

    unreliable.down = false;
    await Promise.all(accepted);
    expect(await storedContents()).toStrictEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5']);
  });

  it('flushes everything appended so far', async () => {
    const writer = new EventWriter(unreliable, { maxBatch: 4, retryBaseMs: 1 });
    await writer.flush();
    unreliable.failuresLeft = 1;
    for (let seq = 1; seq <= 10; seq += 1) void writer.append(event('a', seq));

    await writer.flush();

    expect(writer.pending).toBe(0);
    expect((await store.loadEvents('a')).map((stored) => stored.seq)).toStrictEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('closes with nothing left when the database answers', async () => {
    const writer = new EventWriter(unreliable);
    const written = writer.append(event('a', 1));
    expect(await writer.close(5_000)).toBe(0);
    await written;
    expect(await storedContents()).toStrictEqual(['a-1']);
  });

  it('reports what it could not write when closing while the database is down', async () => {
    const writer = new EventWriter(unreliable, { retryBaseMs: 1, retryMaxMs: 5 });
    unreliable.down = true;
    const appended = [writer.append(event('a', 1)), writer.append(event('a', 2))];

    expect(await writer.close(30)).toBe(2);

    for (const each of appended) await expect(each).rejects.toMatchObject({ code: 'shutting_down' });
    await expect(writer.append(event('a', 3))).rejects.toMatchObject({ code: 'shutting_down' });
    expect(writer.pending).toBe(0);
  });
  describe('an event the database refuses', () => {
    const stored = async () =>
      (await database.query<{ session_id: string; event_type: string; content: string | null; seq: number; metadata: Record<string, unknown> }>(
        'SELECT session_id, event_type, content, seq, metadata FROM session_events ORDER BY id',
      )).map((row) => ({ ...row, metadata: typeof row.metadata === 'string' ? (JSON.parse(row.metadata) as Record<string, unknown>) : row.metadata }));
    /** The store as it was before text was made storable: a lone surrogate goes to jsonb as is. */
    const storeSendingTextAsIs: Pick<SessionStore, 'appendEvents'> = {
      appendEvents: async (events) => {
        await database.query(appendEventsSql, [JSON.stringify(events)]);
      },
    };

    it('does not hold up the other sessions: they are written in order, the refused one is logged as write_failed in its place', async () => {
      const refusals: Array<{ event: NewEvent; error: unknown }> = [];
      const writer = new EventWriter(storeSendingTextAsIs, { onPoisoned: (refused, error) => refusals.push({ event: refused, error }) });
      const poison = event('b', 2, 'cut emoji \ud83d…');
      const good = [event('a', 1), event('b', 1), event('c', 1), event('a', 2), event('c', 2), event('a', 3)];
      const appends = [...good.slice(0, 3).map((each) => writer.append(each)), writer.append(poison, { deadlineMs: 5_000 }), ...good.slice(3).map((each) => writer.append(each))];

      const outcomes = await Promise.allSettled(appends);

      expect(outcomes.map((outcome) => outcome.status)).toStrictEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'write_failed', recoverable: true });
      expect((await stored()).map((row) => [row.session_id, row.event_type, row.content, row.seq])).toStrictEqual([
        ['a', 'user_message', 'a-1', 1],
        ['b', 'user_message', 'b-1', 1],
        ['c', 'user_message', 'c-1', 1],
        ['b', 'write_failed', null, 2],
        ['a', 'user_message', 'a-2', 2],
        ['c', 'user_message', 'c-2', 2],
        ['a', 'user_message', 'a-3', 3],
      ]);
      expect((await stored())[3]!.metadata).toStrictEqual({ refused_event_type: 'user_message', refused_seq: 2, content_length: poison.content!.length, sqlstate: '22P02' });
      expect(refusals).toHaveLength(1);
      expect(refusals[0]!.event).toBe(poison);
      expect(writer.poisoned).toBe(1);
      expect(writer.pending).toBe(0);
    });

    it('finds every refused event of a batch in fewer round trips than writing one by one', async () => {
      const writer = new EventWriter(unreliable);
      const events = Array.from({ length: 32 }, (_, index) => event(['a', 'b', 'c'][index % 3]!, index + 1));
      // A seq PostgreSQL cannot take as bigint: refused with 22P02 on both drivers, whatever the text.
      events[5] = { ...events[5]!, seq: 5.5 };
      events[20] = { ...events[20]!, seq: 20.5 };

      const outcomes = await Promise.allSettled(events.map((each) => writer.append(each)));

      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(2);
      const rows = await stored();
      expect(rows.map((row) => row.event_type === 'write_failed' ? 'failed' : row.content)).toStrictEqual(
        events.map((each, index) => (index === 5 || index === 20 ? 'failed' : each.content)),
      );
      expect(rows.filter((row) => row.event_type === 'write_failed').map((row) => row.metadata)).toStrictEqual([
        { refused_event_type: 'user_message', refused_seq: 0, content_length: 3, sqlstate: '22P02' },
        { refused_event_type: 'user_message', refused_seq: 0, content_length: 4, sqlstate: '22P02' },
      ]);
      expect(unreliable.calls).toBeLessThan(events.length);
      expect(writer.poisoned).toBe(2);
    });

    it('refuses an event it cannot serialize (a cycle in its metadata) and writes the rest', async () => {
      const writer = new EventWriter(unreliable);
      const cyclic: Record<string, unknown> = { name: 'loop' };
      cyclic.self = cyclic;
      const refused = writer.append({ ...event('b', 1), event_type: 'tool_result', metadata: cyclic });
      const kept = writer.append(event('a', 1));

      await expect(refused).rejects.toMatchObject({ code: 'write_failed' });
      await kept;
      expect((await stored()).map((row) => [row.session_id, row.event_type, row.metadata.sqlstate ?? null])).toStrictEqual([
        ['b', 'write_failed', '22000'],
        ['a', 'user_message', null],
      ]);
    });

    it('goes back to retrying when the connection drops while it looks for the refused event, and loses nothing', async () => {
      const errors: number[] = [];
      const writer = new EventWriter(unreliable, { retryBaseMs: 1, retryMaxMs: 5, onError: (_error, attempt) => errors.push(attempt) });
      unreliable.dropCalls.add(2);
      const events = [event('a', 1), event('b', 1), { ...event('c', 1), seq: 1.5 }, event('a', 2)];

      const outcomes = await Promise.allSettled(events.map((each) => writer.append(each)));

      expect(outcomes.map((outcome) => outcome.status)).toStrictEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect((await stored()).map((row) => row.event_type === 'write_failed' ? 'failed' : row.content)).toStrictEqual(['a-1', 'b-1', 'failed', 'a-2']);
      expect(errors).toHaveLength(1);
    });

    it('drops a write_failed event the database refuses in turn instead of trying forever', async () => {
      const writer = new EventWriter(storeSendingTextAsIs);
      // The session id itself cannot go to jsonb as is, so its write_failed event cannot either.
      const refused = writer.append(event('b\ud800', 1));
      const kept = writer.append(event('a', 1));

      await expect(refused).rejects.toMatchObject({ code: 'write_failed' });
      await kept;
      await writer.flush();
      expect((await stored()).map((row) => row.content)).toStrictEqual(['a-1']);
      expect(writer.poisoned).toBe(2);
      expect(writer.pending).toBe(0);
    });
  });

  describe('how long it has been unable to write', () => {
    it('grows while the database fails and is 0 once the batch is written', async () => {
      const writer = new EventWriter(unreliable, { retryBaseMs: 1, retryMaxMs: 5 });
      expect(writer.stalledMs).toBe(0);
      unreliable.down = true;
      const written = writer.append(event('a', 1));
      await unreliable.nextCall();
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(writer.stalledMs).toBeGreaterThanOrEqual(50);
      unreliable.down = false;
      await written;
      expect(writer.stalledMs).toBe(0);
    });
  });

  it('closes within its bound while a write never returns, and fails what it holds', async () => {
    const writer = new EventWriter(unreliable);
    unreliable.hold = new Promise(() => {});
    const writing = unreliable.nextCall();
    const appended = [writer.append(event('a', 1)), writer.append(event('a', 2), { deadlineMs: 60_000 })];
    await writing;
    appended.push(writer.append(event('a', 3)));

    const closed = await Promise.race([writer.close(50), new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5_000))]);

    expect(closed).toBe(3);
    for (const each of appended) await expect(each).rejects.toMatchObject({ code: 'shutting_down' });
    await expect(writer.flush()).resolves.toBeUndefined();
  });
});
