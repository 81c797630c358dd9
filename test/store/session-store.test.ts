import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/errors/index.js';
import { appendEventsSql, createSessionStore } from '../../src/store/session-store.js';
import type { Database, NewEvent, SessionStore } from '../../src/store/types.js';
import { databaseVariants, type TestDatabase } from './databases.js';

const userMessage = (sessionId: string, seq: number, content: string, messageId?: string): NewEvent => ({
  session_id: sessionId,
  event_type: 'user_message',
  content,
  metadata: messageId === undefined ? {} : { message_id: messageId },
  seq,
});

describe.each(databaseVariants)('session store on $kind', (variant) => {
  let testDatabase: TestDatabase;
  let database: Database;
  let store: SessionStore;

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
  });

  describe('openSession', () => {
    it('creates a session the first time and reopens it afterwards', async () => {
      const first = await store.openSession('s-1', 'user-1');
      expect(first.created).toBe(true);
      expect(first.session).toMatchObject({ session_id: 's-1', user_id: 'user-1', is_active: true, end_time: null, summary: null, metadata: {} });

      const again = await store.openSession('s-1', null);
      expect(again.created).toBe(false);
      expect(again.session.user_id).toBe('user-1');
      expect(again.session.start_time).toBe(first.session.start_time);
    });

    it('reactivates a finalized session: active again, no end time, no pending finalize', async () => {
      await store.openSession('s-2', null);
      await store.completeFinalize('s-2', 'talked about tea', { duration_seconds: 5 });
      await store.scheduleFinalize('s-2', new Date(Date.now() - 1_000));

      const reopened = await store.openSession('s-2', 'user-2');

      expect(reopened.created).toBe(false);
      expect(reopened.session).toMatchObject({ is_active: true, end_time: null, user_id: 'user-2', summary: 'talked about tea' });
      expect(await store.claimDueFinalizations(new Date(), 10)).toStrictEqual([]);
    });

    it('keeps the owner a session was given: opening it again naming another user changes nothing', async () => {
      await store.openSession('s-owned', 'user-1');
      const reopened = await store.openSession('s-owned', 'user-2');
      expect(reopened.session.user_id).toBe('user-1');
      expect((await store.getSession('s-owned'))?.user_id).toBe('user-1');
    });

    it('returns times as ISO strings', async () => {
      const { session } = await store.openSession('s-3', null);
      for (const time of [session.start_time, session.created_at, session.updated_at]) {
        expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
    });
  });

  it('finds a session by id, and null for an unknown id', async () => {
    await store.openSession('known', null);
    expect((await store.getSession('known'))?.session_id).toBe('known');
    expect(await store.getSession('unknown')).toBeNull();
  });

  it('deletes a session’s events with the session', async () => {
    await store.openSession('doomed', null);
    await store.appendEvents([userMessage('doomed', 1, 'hello')]);
    await database.query(`DELETE FROM sessions WHERE session_id = $1`, ['doomed']);
    expect(await store.loadEvents('doomed')).toStrictEqual([]);
  });

  it('keeps updated_at in the database, whatever the writer sets', async () => {
    await store.openSession('touched', null);
    await database.query(`UPDATE sessions SET updated_at = '2000-01-01T00:00:00Z' WHERE session_id = $1`, ['touched']);
    const afterManualUpdate = await store.getSession('touched');
    expect(afterManualUpdate?.updated_at.startsWith('2000')).toBe(false);

    await store.scheduleFinalize('touched', new Date(Date.now() + 60_000));
    const afterSchedule = await store.getSession('touched');
    expect(Date.parse(afterSchedule?.updated_at ?? '')).toBeGreaterThanOrEqual(Date.parse(afterManualUpdate?.updated_at ?? ''));
    expect(Date.parse(afterSchedule?.updated_at ?? '')).toBeGreaterThanOrEqual(Date.parse(afterSchedule?.created_at ?? ''));
  });

  describe('listSessions', () => {
    // Ties on start_time and times a few microseconds apart are where keyset cursors go wrong.
    const rows: Array<[sessionId: string, startTime: string, userId: string | null]> = [
      ['a', '2024-03-01T10:00:00.000000Z', 'alice'],
      ['b', '2024-03-01T10:00:00.000000Z', 'bob'],
      ['c', '2024-03-01T10:00:00.000000Z', 'alice'],
      ['d', '2024-03-01T10:00:00.123400Z', 'bob'],
      ['e', '2024-03-01T10:00:00.123456Z', 'alice'],
      ['f', '2024-03-01T10:00:00.123456Z', null],
      ['g', '2024-02-01T00:00:00.000000Z', 'alice'],
      ['h', '2024-04-01T00:00:00.000000Z', 'bob'],
      ['i', '2024-03-01T10:00:00.123401Z', 'alice'],
    ];
    const newestFirst = ['h', 'f', 'e', 'i', 'd', 'c', 'b', 'a', 'g'];

    beforeEach(async () => {
      for (const [sessionId, startTime, userId] of rows) {
        await database.query(`INSERT INTO sessions (session_id, start_time, user_id) VALUES ($1, $2::text::timestamptz, $3)`, [
          sessionId,
          startTime,
          userId,
        ]);
      }
    });

    const collect = async (options: { limit: number; userId?: string }) => {
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listSessions({ ...options, ...(cursor === undefined ? {} : { cursor }) });
        pages.push(page.sessions.map((session) => session.session_id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined && pages.length < 20);
      return pages;
    };

    it('pages newest first with no duplicate and no gap', async () => {
      expect(await collect({ limit: 2 })).toStrictEqual([['h', 'f'], ['e', 'i'], ['d', 'c'], ['b', 'a'], ['g']]);
      expect((await collect({ limit: 4 })).flat()).toStrictEqual(newestFirst);
    });

    it('says there is no next page when the last page is exactly full', async () => {
      const page = await store.listSessions({ limit: newestFirst.length });
      expect(page.sessions.map((session) => session.session_id)).toStrictEqual(newestFirst);
      expect(page.next_cursor).toBeNull();
    });

    it('lists one user’s sessions only', async () => {
      expect(await collect({ limit: 2, userId: 'alice' })).toStrictEqual([['e', 'i'], ['c', 'a'], ['g']]);
    });

    it('refuses a cursor it did not give out', async () => {
      const attempt = store.listSessions({ limit: 2, cursor: 'not-a-cursor' });
      await expect(attempt).rejects.toBeInstanceOf(ParleyError);
      await expect(attempt).rejects.toMatchObject({ code: 'bad_request' });
    });
  });

  describe('events', () => {
    beforeEach(async () => {
      await store.openSession('talk', null);
      await store.openSession('other', null);
    });

    it('appends a batch in the order given and loads it ordered by seq, then id', async () => {
      await store.appendEvents([
        userMessage('talk', 1, 'first'),
        { session_id: 'talk', event_type: 'tool_call', content: null, metadata: { name: 'calculator' }, seq: 3 },
        userMessage('other', 1, 'elsewhere'),
        { session_id: 'talk', event_type: 'tool_result', content: '4', metadata: {}, seq: 3 },
        { session_id: 'talk', event_type: 'assistant_message', content: 'it is 4', metadata: { status: 'complete' }, seq: 2 },
      ]);

      const events = await store.loadEvents('talk');
      expect(events.map((event) => [event.seq, event.event_type, event.content])).toStrictEqual([
        [1, 'user_message', 'first'],
        [2, 'assistant_message', 'it is 4'],
        [3, 'tool_call', null],
        [3, 'tool_result', '4'],
      ]);
      expect(events[2]!.id).toBeLessThan(events[3]!.id);
      expect(typeof events[0]!.id).toBe('number');
      expect(events[0]!.created_at).toMatch(/Z$/);
    });

    it('sends one query per batch and none for an empty one', async () => {
      const counted = countQueries(database);
      const counting = createSessionStore(counted.database);
      await counting.appendEvents([]);
      await counting.appendEvents(Array.from({ length: 50 }, (_, index) => userMessage('talk', index + 1, `m${index}`)));
      expect(counted.count()).toBe(1);
      expect(await store.loadEvents('talk')).toHaveLength(50);
    });

    it('pages through events in order', async () => {
      await store.appendEvents(Array.from({ length: 7 }, (_, index) => userMessage('talk', 7 - index, `m${7 - index}`)));
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listEvents('talk', { limit: 3, ...(cursor === undefined ? {} : { cursor }) });
        pages.push(page.events.map((event) => event.content ?? ''));
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined && pages.length < 10);
      expect(pages).toStrictEqual([['m1', 'm2', 'm3'], ['m4', 'm5', 'm6'], ['m7']]);
    });

    it('pages back from a seq: the newest events below it first, each page in seq order, until none is left', async () => {
      await store.appendEvents(Array.from({ length: 7 }, (_, index) => userMessage('talk', index + 1, `m${index + 1}`)));
      const pages: string[][] = [];
      let page = await store.listEvents('talk', { limit: 3, before: 7 });
      pages.push(page.events.map((event) => event.content ?? ''));
      while (page.next_cursor !== null && pages.length < 10) {
        page = await store.listEvents('talk', { limit: 3, cursor: page.next_cursor });
        pages.push(page.events.map((event) => event.content ?? ''));
      }
      expect(pages).toStrictEqual([['m4', 'm5', 'm6'], ['m1', 'm2', 'm3']]);
    });

    it('leaves out every event of the before seq, and keeps apart events sharing a seq across pages', async () => {
      await store.appendEvents([
        userMessage('talk', 1, 'question'),
        { session_id: 'talk', event_type: 'tool_call', content: 'calculator', metadata: {}, seq: 2 },
        { session_id: 'talk', event_type: 'tool_result', content: 'calculator', metadata: {}, seq: 2 },
        { session_id: 'talk', event_type: 'assistant_message', content: 'answer', metadata: {}, seq: 3 },
      ]);
      expect((await store.listEvents('talk', { limit: 10, before: 3 })).events.map((event) => event.event_type)).toStrictEqual(['user_message', 'tool_call', 'tool_result']);
      const first = await store.listEvents('talk', { limit: 1, before: 3 });
      const second = await store.listEvents('talk', { limit: 1, cursor: first.next_cursor! });
      expect([first, second].map((page) => page.events.map((event) => event.event_type))).toStrictEqual([['tool_result'], ['tool_call']]);
    });

    it('finds the seq of a stored message by its client id, and nothing for an id never sent', async () => {
      await store.appendEvents([userMessage('talk', 1, 'first', 'client-1'), userMessage('talk', 3, 'second', 'client-2'), userMessage('other', 5, 'elsewhere', 'client-3')]);
      expect(await store.findMessageSeq('talk', 'client-2')).toBe(3);
      expect(await store.findMessageSeq('talk', 'client-3')).toBeNull();
      expect(await store.findMessageSeq('talk', 'never')).toBeNull();
    });

    it('stores a user message once when its client id comes again', async () => {
      await store.appendEvents([userMessage('talk', 1, 'hello', 'client-1')]);
      await store.appendEvents([userMessage('talk', 2, 'hello again', 'client-1'), userMessage('other', 1, 'same id, other session', 'client-1')]);
      await store.appendEvents([userMessage('talk', 3, 'twice in a batch', 'client-2'), userMessage('talk', 4, 'twice in a batch', 'client-2')]);

      expect((await store.loadEvents('talk')).map((event) => event.content)).toStrictEqual(['hello', 'twice in a batch']);
      expect((await store.loadEvents('other')).map((event) => event.content)).toStrictEqual(['same id, other session']);
    });

    it('round-trips nested JSON metadata', async () => {
      const metadata = {
        status: 'complete',
        measures: { ttft_ms: 12.5, duration_ms: 300, steps: [1, 2, { nested: [true, null, 'text with "quotes" and \\ slash'] }] },
        unicode: 'héllo 👋',
        empty: {},
      };
      await store.appendEvents([{ session_id: 'talk', event_type: 'assistant_message', content: 'ok', metadata, seq: 1 }]);
      await store.completeFinalize('talk', 'summary', { extra: { deep: [1, { two: 2 }] } });

      expect((await store.loadEvents('talk'))[0]!.metadata).toStrictEqual(metadata);
      expect((await store.getSession('talk'))!.metadata).toStrictEqual({ extra: { deep: [1, { two: 2 }] } });
    });

    it('stores text holding a NUL character instead of failing the batch', async () => {
      await store.appendEvents([userMessage('talk', 1, 'before\u0000after')]);
      expect((await store.loadEvents('talk'))[0]!.content).toBe('before\uFFFDafter');
    });

    it('stores lone surrogates as U+FFFD in content, metadata values and keys, and keeps pairs whole', async () => {
      await store.appendEvents([
        {
          session_id: 'talk',
          event_type: 'tool_result',
          content: 'cut \ud83d here, whole \ud83d\ude00, stray \ude00',
          metadata: { result: { ['key \udfff']: ['\ud800', 'שלום 👍🏽'] }, count: 10n },
          seq: 1,
        },
        userMessage('talk', 2, 'after it'),
      ]);
      const [stored, next] = await store.loadEvents('talk');
      expect(stored).toMatchObject({
        content: 'cut \uFFFD here, whole 😀, stray \uFFFD',
        metadata: { result: { ['key \uFFFD']: ['\uFFFD', 'שלום 👍🏽'] }, count: '10' },
      });
      expect(next!.content).toBe('after it');
    });

    it('gives back text that starts with a byte order mark, whole', async () => {
      await store.appendEvents([userMessage('talk', 1, '\ufeff'), userMessage('talk', 2, '\ufeffhello')]);
      expect((await store.loadEvents('talk')).map((event) => event.content)).toStrictEqual(['\ufeff', '\ufeffhello']);
    });

    it('stores a summary holding a NUL or a lone surrogate', async () => {
      await store.completeFinalize('talk', 'nul \u0000 and \ud800', {});
      expect((await store.getSession('talk'))!.summary).toBe('nul \uFFFD and \uFFFD');
    });

    it('skips events of a session that no longer exists instead of failing the batch', async () => {
      await store.appendEvents([userMessage('gone', 1, 'lost'), userMessage('talk', 1, 'kept')]);
      expect((await store.loadEvents('talk')).map((event) => event.content)).toStrictEqual(['kept']);
    });

    it('looks each event’s session up by its key instead of reading every session, however many there are', async () => {
      await database.query(`INSERT INTO sessions (session_id) SELECT 'many-' || n FROM generate_series(1, 5000) AS n`);
      await database.query('ANALYZE sessions');
      const batch = JSON.stringify([userMessage('talk', 1, 'hello')]);

      const plan = (await database.query<Record<string, string>>(`EXPLAIN ${appendEventsSql}`, [batch])).map((row) => Object.values(row)[0]).join('\n');

      expect(plan).not.toMatch(/Seq Scan on sessions/);
      expect(plan).toMatch(/Index (Only )?Scan using sessions_pkey on sessions/);
    });
  });

  describe('finalizing', () => {
    it('claims only sessions whose finalize is due, once', async () => {
      const now = new Date();
      for (const sessionId of ['due-1', 'due-2', 'later', 'unscheduled', 'ended']) await store.openSession(sessionId, null);
      await store.scheduleFinalize('due-1', new Date(now.getTime() - 2_000));
      await store.scheduleFinalize('due-2', new Date(now.getTime() - 1_000));
      await store.scheduleFinalize('later', new Date(now.getTime() + 60_000));
      await store.completeFinalize('ended', 'done', {});
      await store.scheduleFinalize('ended', new Date(now.getTime() - 1_000));

      const claimed = await store.claimDueFinalizations(now, 10);
      expect(claimed.map((session) => session.session_id)).toStrictEqual(['due-1', 'due-2']);
      expect(claimed.every((session) => session.is_active)).toBe(true);
      expect(await store.claimDueFinalizations(now, 10)).toStrictEqual([]);
    });

    it('does not claim a session whose finalize was cancelled', async () => {
      await store.openSession('back', null);
      await store.scheduleFinalize('back', new Date(Date.now() - 1_000));
      await store.cancelFinalize('back');
      expect(await store.claimDueFinalizations(new Date(), 10)).toStrictEqual([]);
    });

    it('never gives the same session to two claimers at once', async () => {
      const other = createSessionStore(await testDatabase.connect());
      const ids = Array.from({ length: 30 }, (_, index) => `race-${String(index).padStart(2, '0')}`);
      const due = new Date(Date.now() - 1_000);
      for (const sessionId of ids) {
        await store.openSession(sessionId, null);
        await store.scheduleFinalize(sessionId, due);
      }

      const claimAll = async (claimer: SessionStore) => {
        const mine: string[] = [];
        for (;;) {
          const claimed = await claimer.claimDueFinalizations(new Date(), 3);
          if (claimed.length === 0) return mine;
          mine.push(...claimed.map((session) => session.session_id));
        }
      };
      const [first, second] = await Promise.all([claimAll(store), claimAll(other)]);

      expect([...first, ...second].sort()).toStrictEqual(ids);
    });

    it('claims sessions left active at start, and leaves them active until completed', async () => {
      for (const sessionId of ['crashed-1', 'crashed-2', 'finished']) await store.openSession(sessionId, null);
      await store.scheduleFinalize('crashed-2', new Date(Date.now() + 60_000));
      await store.completeFinalize('finished', 'done', {});

      const abandoned = await store.claimAbandoned(100);
      expect(abandoned.map((session) => session.session_id).sort()).toStrictEqual(['crashed-1', 'crashed-2']);
      expect(await store.claimDueFinalizations(new Date(Date.now() + 120_000), 10)).toStrictEqual([]);
      expect((await store.getSession('crashed-1'))?.is_active).toBe(true);
    });

    it('completes a finalize: inactive, ended, summary written, metadata merged', async () => {
      await store.openSession('closing', null);
      await store.completeFinalize('closing', 'first summary', { duration_seconds: 10, message_count: 2 });
      await store.openSession('closing', null);
      await store.completeFinalize('closing', 'whole summary', { duration_seconds: 30, summary_method: 'model' });

      const session = await store.getSession('closing');
      expect(session).toMatchObject({
        is_active: false,
        summary: 'whole summary',
        metadata: { duration_seconds: 30, message_count: 2, summary_method: 'model' },
      });
      expect(Date.parse(session!.end_time ?? '')).toBeGreaterThanOrEqual(Date.parse(session!.start_time));
    });
  });

  it('answers a ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

/** Wraps a database to count the statements the store sends. */
function countQueries(database: Database): { database: Database; count: () => number } {
  let count = 0;
  return {
    count: () => count,
    database: {
      kind: database.kind,
      query: (text, params) => {
        count += 1;
        return database.query(text, params);
      },
      exec: (script) => database.exec(script),
      transaction: (work) => database.transaction(work),
      close: () => database.close(),
    },
  };
}
