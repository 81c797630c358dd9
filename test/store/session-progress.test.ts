import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mergeProgress, SessionProgressWriter } from '../../src/store/session-progress-writer.js';
import { createSessionStore } from '../../src/store/session-store.js';
import type { Database, NewEvent, SessionProgress, SessionStore } from '../../src/store/types.js';
import { databaseVariants, type TestDatabase } from './databases.js';

/** The real store, made to fail on purpose: the one fake these tests allow. */
class UnreliableStore implements Pick<SessionStore, 'writeSessionProgress'> {
  failuresLeft = 0;
  readonly writtenBatches: Array<readonly SessionProgress[]> = [];

  constructor(private readonly store: SessionStore) {}

  async writeSessionProgress(progress: readonly SessionProgress[]): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('connection refused (on purpose)');
    }
    await this.store.writeSessionProgress(progress);
    this.writtenBatches.push(progress);
  }
}

const checkpoint = (turnSeq: number, content: string) => ({ turn_seq: turnSeq, content, metadata: { status: 'interrupted', ttft_ms: 12, duration_ms: 2000 } });

const event = (sessionId: string, seq: number, eventType: NewEvent['event_type'], content: string): NewEvent => ({
  session_id: sessionId,
  event_type: eventType,
  content,
  metadata: eventType === 'assistant_message' ? { status: 'complete' } : {},
  seq,
});

describe.each(databaseVariants)('session progress on $kind', (variant) => {
  let testDatabase: TestDatabase;
  let database: Database;
  let store: SessionStore;

  const checkpoints = () =>
    database.query<{ session_id: string; turn_seq: number; content: string }>(
      'SELECT session_id, turn_seq::int AS turn_seq, content FROM turn_checkpoints ORDER BY session_id',
    );

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
    for (const sessionId of ['a', 'b']) await store.openSession(sessionId, null);
  });

  describe('the store', () => {
    it('raises a seq reservation and never lowers it', async () => {
      expect(await store.readSeqReservation('a')).toBe(0);
      await store.writeSessionProgress([{ session_id: 'a', seq_reservation: { through: 1000 } }]);
      await store.writeSessionProgress([{ session_id: 'a', seq_reservation: { through: 500 } }]);
      expect(await store.readSeqReservation('a')).toBe(1000);
      expect(await store.readSeqReservation('b')).toBe(0);
      expect(await store.readSeqReservation('unknown')).toBe(0);
    });

    it('takes unused seqs back only while nothing raised the reservation since', async () => {
      await store.writeSessionProgress([{ session_id: 'a', seq_reservation: { through: 1000 } }]);
      await store.writeSessionProgress([{ session_id: 'a', seq_reservation: { through: 40, if_reserved_through: 1000 } }]);
      expect(await store.readSeqReservation('a')).toBe(40);
      await store.writeSessionProgress([{ session_id: 'a', seq_reservation: { through: 10, if_reserved_through: 1000 } }]);
      expect(await store.readSeqReservation('a')).toBe(40);
    });

    it('keeps one checkpoint per session, never replacing a later turn with an earlier one', async () => {
      await store.writeSessionProgress([
        { session_id: 'a', checkpoint: checkpoint(1, 'Hello') },
        { session_id: 'b', checkpoint: checkpoint(7, 'Other') },
      ]);
      await store.writeSessionProgress([{ session_id: 'a', checkpoint: checkpoint(1, 'Hello there') }]);
      await store.writeSessionProgress([{ session_id: 'b', checkpoint: checkpoint(3, 'Late and stale') }]);
      expect(await checkpoints()).toStrictEqual([
        { session_id: 'a', turn_seq: 1, content: 'Hello there' },
        { session_id: 'b', turn_seq: 7, content: 'Other' },
      ]);
    });

    it("drops a finished turn's checkpoint but not a later turn's", async () => {
      await store.writeSessionProgress([
        { session_id: 'a', checkpoint: checkpoint(1, 'first turn') },
        { session_id: 'b', checkpoint: checkpoint(9, 'later turn') },
      ]);
      await store.writeSessionProgress([
        { session_id: 'a', checkpoint_done: 1 },
        { session_id: 'b', checkpoint_done: 4 },
      ]);
      expect(await checkpoints()).toStrictEqual([{ session_id: 'b', turn_seq: 9, content: 'later turn' }]);
    });

    it('skips the progress of a session deleted meanwhile instead of failing the batch', async () => {
      await database.query(`DELETE FROM sessions WHERE session_id = 'b'`);
      await store.writeSessionProgress([
        { session_id: 'a', checkpoint: checkpoint(1, 'kept'), seq_reservation: { through: 1000 } },
        { session_id: 'b', checkpoint: checkpoint(1, 'gone'), seq_reservation: { through: 1000 } },
      ]);
      expect(await checkpoints()).toStrictEqual([{ session_id: 'a', turn_seq: 1, content: 'kept' }]);
      expect(await store.readSeqReservation('a')).toBe(1000);
    });

    it('recovers one taken-over session alone, from its checkpoint or the longer text its frames held', async () => {
      await store.appendEvents([event('a', 1, 'user_message', 'tell me a story'), event('b', 1, 'user_message', 'another')]);
      await store.writeSessionProgress([
        { session_id: 'a', seq_reservation: { through: 1000 }, checkpoint: checkpoint(1, 'Once') },
        { session_id: 'b', checkpoint: checkpoint(1, 'left alone') },
      ]);
      expect(await store.recoverInterruptedAnswer('a', { turnSeq: 1, content: 'Once upon a time' })).toStrictEqual({ session_id: 'a', seq: 1001, turn_seq: 1 });
      expect((await store.loadEvents('a')).at(-1)).toMatchObject({ event_type: 'assistant_message', content: 'Once upon a time', seq: 1001 });
      expect(await checkpoints()).toStrictEqual([{ session_id: 'b', turn_seq: 1, content: 'left alone' }]);
      // Cut before its first checkpoint: the frames alone tell the answer; a finished turn is left as it is.
      await store.appendEvents([event('a', 1002, 'user_message', 'go on')]);
      expect(await store.recoverInterruptedAnswer('a', { turnSeq: 1002, content: 'And' })).toMatchObject({ seq: 1003, turn_seq: 1002 });
      expect(await store.recoverInterruptedAnswer('a', { turnSeq: 1002, content: 'And then' })).toBeNull();
      expect(await store.recoverInterruptedAnswer('a', null)).toBeNull();
    });

    it('turns a checkpoint left by a crash into an interrupted answer numbered above every reserved seq', async () => {
      await store.appendEvents([event('a', 1, 'user_message', 'tell me a story')]);
      await store.writeSessionProgress([{ session_id: 'a', seq_reservation: { through: 1001 }, checkpoint: checkpoint(1, 'Once upon') }]);

      expect(await store.recoverInterruptedAnswers()).toStrictEqual([{ session_id: 'a', seq: 1002 }]);

      const events = await store.loadEvents('a');
      expect(events.map(({ event_type, content, seq }) => ({ event_type, content, seq }))).toStrictEqual([
        { event_type: 'user_message', content: 'tell me a story', seq: 1 },
        { event_type: 'assistant_message', content: 'Once upon', seq: 1002 },
      ]);
      expect(events[1]?.metadata).toStrictEqual({
        status: 'interrupted',
        finish_reason: 'interrupted',
        ttft_ms: 12,
        duration_ms: 2000,
        recovered_from_checkpoint: true,
        turn_seq: 1,
      });
      expect(await checkpoints()).toStrictEqual([]);
      expect(await store.recoverInterruptedAnswers()).toStrictEqual([]);
    });

    it("adds no second answer when the crash came after the turn's own answer was stored", async () => {
      await store.appendEvents([event('a', 1, 'user_message', 'hi'), event('a', 5, 'assistant_message', 'Hello, whole answer')]);
      await store.writeSessionProgress([{ session_id: 'a', checkpoint: checkpoint(1, 'Hello,') }]);

      expect(await store.recoverInterruptedAnswers()).toStrictEqual([]);

      expect((await store.loadEvents('a')).map((each) => each.content)).toStrictEqual(['hi', 'Hello, whole answer']);
      expect(await checkpoints()).toStrictEqual([]);
    });
  });

  describe('the writer', () => {
    it('writes what is given in one tick in one round trip, only the latest checkpoint of each session', async () => {
      const unreliable = new UnreliableStore(store);
      const writer = new SessionProgressWriter(unreliable);
      writer.saveCheckpoint('a', checkpoint(1, 'He'));
      writer.saveCheckpoint('a', checkpoint(1, 'Hello'));
      writer.saveCheckpoint('b', checkpoint(2, 'Hi'));
      await writer.reserveSeqs('a', 1001);

      expect(unreliable.writtenBatches).toHaveLength(1);
      expect(unreliable.writtenBatches[0]).toHaveLength(2);
      expect(await checkpoints()).toStrictEqual([
        { session_id: 'a', turn_seq: 1, content: 'Hello' },
        { session_id: 'b', turn_seq: 2, content: 'Hi' },
      ]);
      expect(await store.readSeqReservation('a')).toBe(1001);
    });

    it('writes nothing for a checkpoint whose turn finished before it could be written', async () => {
      const unreliable = new UnreliableStore(store);
      const writer = new SessionProgressWriter(unreliable);
      writer.saveCheckpoint('a', checkpoint(1, 'Hello'));
      writer.dropCheckpoint('a', 1);
      await writer.flush();
      expect(await checkpoints()).toStrictEqual([]);
    });

    it('keeps retrying through failures, then resolves the reservation with newer progress on top', async () => {
      const unreliable = new UnreliableStore(store);
      const attempts: number[] = [];
      const writer = new SessionProgressWriter(unreliable, { retryBaseMs: 1, retryMaxMs: 4, onError: (_error, attempt) => attempts.push(attempt) });
      unreliable.failuresLeft = 3;
      const reserved = writer.reserveSeqs('a', 1001);
      writer.saveCheckpoint('a', checkpoint(1, 'Hel'));
      await new Promise((resolve) => setTimeout(resolve, 2));
      writer.saveCheckpoint('a', checkpoint(1, 'Hello'));
      const later = writer.reserveSeqs('a', 1501);

      await Promise.all([reserved, later]);

      expect(attempts).toStrictEqual([1, 2, 3]);
      expect(await store.readSeqReservation('a')).toBe(1501);
      expect(await checkpoints()).toStrictEqual([{ session_id: 'a', turn_seq: 1, content: 'Hello' }]);
      expect(writer.pending).toBe(0);
    });

    it('refuses reservations once closed, so no caller waits for ever', async () => {
      const writer = new SessionProgressWriter(store);
      expect(await writer.close(100)).toBe(0);
      await expect(writer.reserveSeqs('a', 1001)).rejects.toMatchObject({ code: 'shutting_down' });
    });
  });
});

describe('merging progress not written yet', () => {
  const raise = (through: number) => ({ reservation: { through, waiters: [] } });

  it('keeps the higher of two reservations', () => {
    expect(mergeProgress(raise(2000), raise(1500)).reservation?.through).toBe(2000);
  });

  it('turns a give-back that follows an unwritten raise into a raise, so a reservation is never lost', () => {
    const merged = mergeProgress(raise(2000), { reservation: { through: 40, ifReservedThrough: 2000, waiters: [] } });
    expect(merged.reservation).toStrictEqual({ through: 40, waiters: [] });
  });

  it("lets a later turn's checkpoint stand when an earlier turn finishes", () => {
    const merged = mergeProgress({ checkpoint: checkpoint(9, 'later') }, { checkpointDone: 4 });
    expect(merged).toStrictEqual({ checkpoint: checkpoint(9, 'later') });
  });
});
