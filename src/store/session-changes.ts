import { sessionColumns, toSessionRow } from './session-store.js';
import type { Database, SessionRow } from './types.js';

/** What changes about a session after its conversation: its title, or the session itself, deleted. */
export interface SessionChanges {
  /** The owner's title, always written. Null when there is no such session (any more). */
  rename(sessionId: string, title: string): Promise<SessionRow | null>;
  /**
   * A title written for the owner (the model's, or the extractive one), only while the session
   * has none: a title the owner chose is never replaced. True when it was written.
   */
  titleIfUntitled(sessionId: string, title: string): Promise<boolean>;
  /**
   * The session and everything that names it: its events and checkpoint go with it (cascade),
   * its pending finalize is a column of its row. True when it existed.
   */
  deleteSession(sessionId: string): Promise<boolean>;
}

/** One SQL text per change, for PGlite and postgres.js alike (as session-store.ts). */
export function createSessionChanges(database: Pick<Database, 'query'>): SessionChanges {
  return {
    async rename(sessionId, title) {
      const rows = await database.query(`UPDATE sessions SET title = $2 WHERE session_id = $1 RETURNING ${sessionColumns}`, [sessionId, title]);
      return rows[0] ? toSessionRow(rows[0]) : null;
    },

    async titleIfUntitled(sessionId, title) {
      const rows = await database.query(
        `UPDATE sessions SET title = $2 WHERE session_id = $1 AND title IS NULL RETURNING session_id`,
        [sessionId, title],
      );
      return rows.length > 0;
    },

    async deleteSession(sessionId) {
      const rows = await database.query(`DELETE FROM sessions WHERE session_id = $1 RETURNING session_id`, [sessionId]);
      return rows.length > 0;
    },
  };
}
