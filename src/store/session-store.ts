import { ParleyError } from '../errors/index.js';
import type { Database, EventPage, SessionPage, SessionRow, SessionStore, StoredEvent } from './types.js';

/**
 * One statement with one parameter: the same text (and prepared statement) for every batch
 * size. Events of a session deleted meanwhile are skipped rather than failing the batch
 * forever. The session check is a LATERAL lookup with LIMIT so that it stays an index probe
 * per event: as `WHERE EXISTS`, the planner (which guesses 100 rows from any set-returning
 * function) hashed the whole sessions table on every write, a cost that grew with every
 * session ever opened (on PGlite, unprepared: 0.86 ms per one-event write at 5,000 sessions,
 * against 0.36 ms as a probe). The ordinality keeps the batch's order (ids follow it) with
 * no sort.
 */
export const appendEventsSql = `INSERT INTO session_events (session_id, event_type, content, metadata, seq)
  SELECT item.value->>'session_id', item.value->>'event_type', item.value->>'content',
         COALESCE(item.value->'metadata', '{}'::jsonb), (item.value->>'seq')::int8
  FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS item(value, position)
  CROSS JOIN LATERAL (SELECT FROM sessions WHERE sessions.session_id = item.value->>'session_id' LIMIT 1) AS known
  ORDER BY item.position
  ON CONFLICT DO NOTHING`;

/**
 * Every query Parley runs, one SQL text for both drivers. JSON goes in as text cast to
 * jsonb (`$n::text::jsonb`) and times as ISO text cast to timestamptz (`$n::text::timestamptz`),
 * so neither driver's serializers touch them (postgres.js would cut a cursor's microseconds);
 * rows are normalized on the way out (times as ISO strings, bigints as numbers).
 */
export function createSessionStore(database: Database): SessionStore {
  return {
    async openSession(sessionId, userId) {
      const rows = await database.query<Record<string, unknown>>(
        `INSERT INTO sessions (session_id, user_id) VALUES ($1, $2)
         ON CONFLICT (session_id) DO UPDATE SET
           is_active = true,
           end_time = NULL,
           finalize_due_at = NULL,
           user_id = COALESCE(sessions.user_id, EXCLUDED.user_id)
         RETURNING *, (xmax = 0) AS created`,
        [sessionId, userId],
      );
      const row = firstRow(rows, 'openSession');
      return { session: toSessionRow(row), created: row.created === true };
    },

    async getSession(sessionId) {
      const rows = await database.query(`SELECT * FROM sessions WHERE session_id = $1`, [sessionId]);
      return rows[0] ? toSessionRow(rows[0]) : null;
    },

    async listSessions({ limit, cursor, userId }) {
      const pageSize = pageLimit(limit);
      const conditions: string[] = [];
      const params: unknown[] = [];
      if (userId !== undefined) {
        params.push(userId);
        conditions.push(`user_id = $${params.length}`);
      }
      if (cursor !== undefined) {
        const [startTime, sessionId] = decodeCursor(cursor, isSessionCursor);
        params.push(startTime, sessionId);
        conditions.push(`(start_time, session_id) < ($${params.length - 1}::text::timestamptz, $${params.length}::text)`);
      }
      params.push(pageSize + 1);
      // The cursor keeps start_time to the microsecond: a millisecond Date would skip rows.
      const rows = await database.query(
        `SELECT *, to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_time
         FROM sessions
         ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
         ORDER BY start_time DESC, session_id DESC
         LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      const nextCursor =
        rows.length > pageSize && last ? encodeCursor([String(last.cursor_time), String(last.session_id)]) : null;
      return { sessions: page.map(toSessionRow), next_cursor: nextCursor } satisfies SessionPage;
    },

    async loadEvents(sessionId) {
      const rows = await database.query(
        `SELECT * FROM session_events WHERE session_id = $1 ORDER BY seq, id`,
        [sessionId],
      );
      return rows.map(toStoredEvent);
    },

    async listEvents(sessionId, { limit, cursor }) {
      const pageSize = pageLimit(limit);
      const params: unknown[] = [sessionId];
      let after = '';
      if (cursor !== undefined) {
        const [seq, id] = decodeCursor(cursor, isEventCursor);
        params.push(seq, id);
        after = `AND (seq, id) > ($2::int8, $3::int8)`;
      }
      params.push(pageSize + 1);
      const rows = await database.query(
        `SELECT * FROM session_events WHERE session_id = $1 ${after} ORDER BY seq, id LIMIT $${params.length}`,
        params,
      );
      const events = rows.slice(0, pageSize).map(toStoredEvent);
      const last = events.at(-1);
      const nextCursor = rows.length > pageSize && last ? encodeCursor([last.seq, last.id]) : null;
      return { events, next_cursor: nextCursor } satisfies EventPage;
    },

    async appendEvents(events) {
      if (events.length === 0) return;
      await database.query(appendEventsSql, [
        toStorableJson(events.map(({ session_id, event_type, content, metadata, seq }) => ({ session_id, event_type, content, metadata, seq }))),
      ]);
    },

    async scheduleFinalize(sessionId, dueAt) {
      await database.query(`UPDATE sessions SET finalize_due_at = $2::text::timestamptz WHERE session_id = $1`, [
        sessionId,
        dueAt.toISOString(),
      ]);
    },

    async cancelFinalize(sessionId) {
      await database.query(
        `UPDATE sessions SET finalize_due_at = NULL WHERE session_id = $1 AND finalize_due_at IS NOT NULL`,
        [sessionId],
      );
    },

    async claimDueFinalizations(now, limit) {
      const rows = await database.query(
        `UPDATE sessions SET finalize_due_at = NULL
         WHERE session_id IN (
           SELECT session_id FROM sessions
           WHERE is_active AND finalize_due_at <= $1::text::timestamptz
           ORDER BY finalize_due_at
           LIMIT $2
           FOR UPDATE SKIP LOCKED
         )
         RETURNING *`,
        [now.toISOString(), limit],
      );
      return rows.map(toSessionRow);
    },

    async claimAbandoned(limit) {
      const rows = await database.query(
        `UPDATE sessions SET finalize_due_at = NULL
         WHERE session_id IN (
           SELECT session_id FROM sessions
           WHERE is_active
           ORDER BY start_time
           LIMIT $1
           FOR UPDATE SKIP LOCKED
         )
         RETURNING *`,
        [limit],
      );
      return rows.map(toSessionRow);
    },

    async completeFinalize(sessionId, summary, metadata) {
      await database.query(
        `UPDATE sessions
         SET is_active = false, end_time = now(), summary = $2, metadata = sessions.metadata || $3::text::jsonb
         WHERE session_id = $1`,
        [sessionId, summary, toStorableJson(metadata)],
      );
    },

    async ping() {
      await database.query(`SELECT 1`);
    },

    close: () => database.close(),
  };
}

function firstRow(rows: Record<string, unknown>[], query: string): Record<string, unknown> {
  const row = rows[0];
  if (!row) throw new Error(`${query} returned no row`);
  return row;
}

function toSessionRow(row: Record<string, unknown>): SessionRow {
  return {
    session_id: String(row.session_id),
    user_id: row.user_id == null ? null : String(row.user_id),
    start_time: toIsoTime(row.start_time),
    end_time: row.end_time == null ? null : toIsoTime(row.end_time),
    is_active: row.is_active === true,
    summary: row.summary == null ? null : String(row.summary),
    metadata: toObject(row.metadata),
    created_at: toIsoTime(row.created_at),
    updated_at: toIsoTime(row.updated_at),
  };
}

function toStoredEvent(row: Record<string, unknown>): StoredEvent {
  return {
    id: Number(row.id),
    session_id: String(row.session_id),
    event_type: String(row.event_type) as StoredEvent['event_type'],
    content: row.content == null ? null : String(row.content),
    metadata: toObject(row.metadata),
    seq: Number(row.seq),
    created_at: toIsoTime(row.created_at),
  };
}

function toIsoTime(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  return date.toISOString();
}

function toObject(value: unknown): Record<string, unknown> {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

/** PostgreSQL text and jsonb refuse U+0000; one such character must not fail a batch forever. */
function toStorableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? item.replaceAll('\u0000', '\uFFFD') : item));
}

function pageLimit(limit: number): number {
  return Math.max(1, Math.floor(limit));
}

type SessionCursor = [startTime: string, sessionId: string];
type EventCursor = [seq: number, id: number];

function isSessionCursor(value: unknown): value is SessionCursor {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    !Number.isNaN(Date.parse(value[0])) &&
    typeof value[1] === 'string'
  );
}

function isEventCursor(value: unknown): value is EventCursor {
  return Array.isArray(value) && value.length === 2 && value.every((part) => Number.isSafeInteger(part));
}

function encodeCursor(value: SessionCursor | EventCursor): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor<Cursor>(cursor: string, isCursor: (value: unknown) => value is Cursor): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isCursor(value)) return value;
  } catch {
    // falls through to the same answer as a well-formed but foreign cursor
  }
  throw new ParleyError('bad_request', 'The cursor is not one this server gave out; start again without it.');
}
