import { ParleyError } from '../errors/index.js';
import { isStorableText, toStorableText } from '../protocol/well-formed-text.js';
import { UnserializableEventsError } from './data-error.js';
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
/**
 * The columns a SessionRow and a StoredEvent are read from, named: `*` would also carry the
 * search vectors (migration 005) through the driver, many times the text's size.
 */
export const sessionColumns = 'session_id, user_id, start_time, end_time, is_active, summary, title, model, metadata, created_at, updated_at';
const eventColumns = 'id, session_id, event_type, content, metadata, seq, created_at';

export const appendEventsSql = `INSERT INTO session_events (session_id, event_type, content, metadata, seq)
  SELECT item.value->>'session_id', item.value->>'event_type', item.value->>'content',
         COALESCE(item.value->'metadata', '{}'::jsonb), (item.value->>'seq')::int8
  FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS item(value, position)
  CROSS JOIN LATERAL (SELECT FROM sessions WHERE sessions.session_id = item.value->>'session_id' LIMIT 1) AS known
  ORDER BY item.position
  ON CONFLICT DO NOTHING`;

/**
 * A batch of session progress in one statement with one parameter, one entry per session:
 * seq reservations raised (or unused seqs given back, only if nothing raised them meanwhile),
 * checkpoints of finished turns dropped, and answers in progress saved. A checkpoint never
 * replaces a later turn's. A session deleted meanwhile is skipped, as in appendEventsSql.
 */
export const writeSessionProgressSql = `WITH item AS (
    SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS item(
      session_id text, reserve_through int8, reserve_if int8, turn_seq int8, content text, metadata jsonb, done_turn_seq int8)
  ),
  reserved AS (
    UPDATE sessions SET seq_reserved_through = item.reserve_through
    FROM item
    WHERE sessions.session_id = item.session_id
      AND item.reserve_through IS NOT NULL
      AND CASE WHEN item.reserve_if IS NULL THEN sessions.seq_reserved_through < item.reserve_through
               ELSE sessions.seq_reserved_through = item.reserve_if END
  ),
  finished AS (
    DELETE FROM turn_checkpoints USING item
    WHERE turn_checkpoints.session_id = item.session_id AND turn_checkpoints.turn_seq <= item.done_turn_seq
  )
  INSERT INTO turn_checkpoints (session_id, turn_seq, content, metadata)
  SELECT item.session_id, item.turn_seq, item.content, COALESCE(item.metadata, '{}'::jsonb)
  FROM item
  CROSS JOIN LATERAL (SELECT FROM sessions WHERE sessions.session_id = item.session_id LIMIT 1) AS known
  WHERE item.turn_seq IS NOT NULL AND item.content IS NOT NULL
  ON CONFLICT (session_id) DO UPDATE
    SET turn_seq = EXCLUDED.turn_seq, content = EXCLUDED.content, metadata = EXCLUDED.metadata, updated_at = now()
    WHERE turn_checkpoints.turn_seq <= EXCLUDED.turn_seq`;

/**
 * Crash recovery: each checkpoint left by a crash becomes its turn's assistant_message marked
 * interrupted, unless the turn's own one was stored (the crash came between it and the
 * checkpoint's removal). Its seq is above every seq the session reserved, hence above any a
 * client saw. `$1` null: every session's (at start, one instance); else that session's,
 * taken over from a dead instance, where `$2`/`$3` are the cut turn's seq and its text as the
 * turn's frames in Redis hold it (null when nobody mirrored it): longer text wins, and a turn
 * cut before its first checkpoint is stored from them alone.
 */
export const recoverInterruptedAnswersSql = `WITH saved AS (
    DELETE FROM turn_checkpoints WHERE $1::text IS NULL OR session_id = $1::text
    RETURNING session_id, turn_seq, content, metadata
  ),
  candidate AS (
    SELECT session_id, turn_seq, content, metadata FROM saved
    UNION ALL
    SELECT $1::text, $2::int8, '', '{}'::jsonb
    WHERE $1::text IS NOT NULL AND $2::int8 IS NOT NULL AND NOT EXISTS (SELECT FROM saved)
  ),
  chosen AS (
    SELECT session_id, turn_seq, metadata,
           CASE WHEN turn_seq = $2::int8 AND length($3::text) > length(content) THEN $3::text ELSE content END AS content
    FROM candidate
  )
  INSERT INTO session_events (session_id, event_type, content, metadata, seq)
  SELECT chosen.session_id, 'assistant_message', chosen.content,
         chosen.metadata || '{"status": "interrupted", "finish_reason": "interrupted", "recovered_from_checkpoint": true}'::jsonb
           || jsonb_build_object('turn_seq', chosen.turn_seq),
         GREATEST(
           sessions.seq_reserved_through,
           (SELECT COALESCE(max(seq), 0) FROM session_events WHERE session_events.session_id = chosen.session_id)
         ) + 1
  FROM chosen JOIN sessions USING (session_id)
  WHERE NOT EXISTS (
    SELECT FROM session_events
    WHERE session_events.session_id = chosen.session_id
      AND session_events.event_type = 'assistant_message'
      AND session_events.seq > chosen.turn_seq
  )
  ORDER BY chosen.session_id
  RETURNING session_id, seq, (metadata->>'turn_seq')::int8 AS turn_seq`;

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
         RETURNING ${sessionColumns}, (xmax = 0) AS created`,
        [sessionId, userId],
      );
      const row = firstRow(rows, 'openSession');
      return { session: toSessionRow(row), created: row.created === true };
    },

    async reopenSession(sessionId) {
      const rows = await database.query(
        `UPDATE sessions SET is_active = true, end_time = NULL, finalize_due_at = NULL
         WHERE session_id = $1
         RETURNING ${sessionColumns}`,
        [sessionId],
      );
      return rows[0] ? toSessionRow(rows[0]) : null;
    },

    async setSessionModel(sessionId, model) {
      await database.query(`UPDATE sessions SET model = $2 WHERE session_id = $1 AND model IS DISTINCT FROM $2`, [sessionId, model]);
    },

    async getSession(sessionId) {
      const rows = await database.query(`SELECT ${sessionColumns} FROM sessions WHERE session_id = $1`, [sessionId]);
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
        `SELECT ${sessionColumns}, to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_time
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
        `SELECT ${eventColumns} FROM session_events WHERE session_id = $1 ORDER BY seq, id`,
        [sessionId],
      );
      return rows.map(toStoredEvent);
    },

    async listEvents(sessionId, { limit, cursor, before }) {
      const pageSize = pageLimit(limit);
      // Ids start at 1, so `before` as (seq, 0) leaves out every event of that seq.
      const from = cursor === undefined ? (before === undefined ? null : { older: true, seq: before, id: 0 }) : decodeEventCursor(cursor);
      const params: unknown[] = [sessionId];
      let bound = '';
      if (from !== null) {
        params.push(from.seq, from.id);
        bound = `AND (seq, id) ${from.older ? '<' : '>'} ($2::int8, $3::int8)`;
      }
      params.push(pageSize + 1);
      const older = from?.older === true;
      const rows = await database.query(
        `SELECT ${eventColumns} FROM session_events WHERE session_id = $1 ${bound}
         ORDER BY ${older ? 'seq DESC, id DESC' : 'seq, id'} LIMIT $${params.length}`,
        params,
      );
      const events = rows.slice(0, pageSize).map(toStoredEvent);
      if (older) events.reverse();
      // Going back, the next page holds older events: it starts below this page's first.
      const edge = older ? events[0] : events.at(-1);
      const nextCursor = rows.length > pageSize && edge ? encodeCursor(older ? ['older', edge.seq, edge.id] : [edge.seq, edge.id]) : null;
      return { events, next_cursor: nextCursor } satisfies EventPage;
    },

    async findMessageSeq(sessionId, messageId) {
      // The predicate of session_events_unique_message_id, so this is one probe of that index.
      const rows = await database.query(
        `SELECT seq FROM session_events
         WHERE session_id = $1 AND event_type = 'user_message' AND metadata ? 'message_id' AND metadata->>'message_id' = $2
         LIMIT 1`,
        [sessionId, messageId],
      );
      return rows[0] ? Number(rows[0].seq) : null;
    },

    async appendEvents(events) {
      if (events.length === 0) return;
      let batch: string;
      try {
        batch = toStorableJson(events.map(({ session_id, event_type, content, metadata, seq }) => ({ session_id, event_type, content, metadata, seq })));
      } catch (error) {
        throw new UnserializableEventsError({ cause: error });
      }
      await database.query(appendEventsSql, [batch]);
    },

    async readSeqReservation(sessionId) {
      const rows = await database.query(`SELECT seq_reserved_through FROM sessions WHERE session_id = $1`, [sessionId]);
      return Number(rows[0]?.seq_reserved_through ?? 0);
    },

    async writeSessionProgress(progress) {
      if (progress.length === 0) return;
      await database.query(writeSessionProgressSql, [
        toStorableJson(
          progress.map(({ session_id, seq_reservation, checkpoint, checkpoint_done }) => ({
            session_id,
            reserve_through: seq_reservation?.through ?? null,
            reserve_if: seq_reservation?.if_reserved_through ?? null,
            turn_seq: checkpoint?.turn_seq ?? null,
            content: checkpoint?.content ?? null,
            metadata: checkpoint?.metadata ?? null,
            done_turn_seq: checkpoint === undefined ? (checkpoint_done ?? null) : null,
          })),
        ),
      ]);
    },

    async recoverInterruptedAnswers() {
      const rows = await database.query(recoverInterruptedAnswersSql, [null, null, null]);
      return rows.map((row) => ({ session_id: String(row.session_id), seq: Number(row.seq) }));
    },

    async recoverInterruptedAnswer(sessionId, streamed) {
      const rows = await database.query(recoverInterruptedAnswersSql, [sessionId, streamed?.turnSeq ?? null, streamed?.content ?? null]);
      return rows[0] ? { session_id: String(rows[0].session_id), seq: Number(rows[0].seq), turn_seq: Number(rows[0].turn_seq) } : null;
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
         RETURNING ${sessionColumns}`,
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
         RETURNING ${sessionColumns}`,
        [limit],
      );
      return rows.map(toSessionRow);
    },

    async completeFinalize(sessionId, summary, metadata) {
      await database.query(
        `UPDATE sessions
         SET is_active = false, end_time = now(), summary = $2, metadata = sessions.metadata || $3::text::jsonb
         WHERE session_id = $1`,
        [sessionId, toStorableText(summary), toStorableJson(metadata)],
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

export function toSessionRow(row: Record<string, unknown>): SessionRow {
  return {
    session_id: String(row.session_id),
    user_id: textOrNull(row.user_id),
    start_time: toIsoTime(row.start_time),
    end_time: row.end_time == null ? null : toIsoTime(row.end_time),
    is_active: row.is_active === true,
    summary: textOrNull(row.summary),
    title: textOrNull(row.title),
    model: textOrNull(row.model),
    metadata: toObject(row.metadata),
    created_at: toIsoTime(row.created_at),
    updated_at: toIsoTime(row.updated_at),
  };
}

/** A nullable text column: both drivers return text as a string. */
function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function toStoredEvent(row: Record<string, unknown>): StoredEvent {
  return {
    id: Number(row.id),
    session_id: String(row.session_id),
    event_type: String(row.event_type) as StoredEvent['event_type'],
    content: textOrNull(row.content),
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

/**
 * JSON that `jsonb` takes: every string and every key made storable (lone surrogates and U+0000
 * replaced, well-formed-text.ts), so no text can fail a batch. A bigint becomes its digits.
 */
function toStorableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'string') return toStorableText(item);
    if (typeof item === 'bigint') return item.toString();
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && !Object.keys(item).every(isStorableText)) {
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [toStorableText(key), entry]));
    }
    return item;
  });
}

function pageLimit(limit: number): number {
  return Math.max(1, Math.floor(limit));
}

type SessionCursor = [startTime: string, sessionId: string];
type EventCursor = [seq: number, id: number];
/** A page of `before`'s walk back: the events older than this one. */
type OlderEventCursor = ['older', seq: number, id: number];

function isSessionCursor(value: unknown): value is SessionCursor {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'string' &&
    !Number.isNaN(Date.parse(value[0])) &&
    typeof value[1] === 'string'
  );
}

function isEventCursor(value: unknown): value is EventCursor | OlderEventCursor {
  if (!Array.isArray(value)) return false;
  const numbers = value[0] === 'older' ? value.slice(1) : value;
  return numbers.length === 2 && numbers.every((part) => Number.isSafeInteger(part));
}

function decodeEventCursor(cursor: string): { older: boolean; seq: number; id: number } {
  const value = decodeCursor(cursor, isEventCursor);
  return value[0] === 'older' ? { older: true, seq: value[1], id: value[2] } : { older: false, seq: value[0], id: value[1] };
}

function encodeCursor(value: SessionCursor | EventCursor | OlderEventCursor): string {
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
