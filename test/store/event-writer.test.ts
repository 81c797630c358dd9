import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventWriter } from '../../src/store/event-writer.js';
import { createSessionStore } from '../../src/store/session-store.js';
import type { Database, NewEvent, SessionStore } from '../../src/store/types.js';
import { databaseVariants, type TestDatabase } from './databases.js';

/** The real store, made to fail on purpose: the one fake these tests allow. */
class UnreliableStore implements Pick<SessionStore, 'appendEvents'> {
  down = false;
  failuresLeft = 0;
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
    if (this.hold) await this.hold;
    if (this.down || this.failuresLeft > 0) {
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
});
