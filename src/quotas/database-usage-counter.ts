import type { Database } from '../store/types.js';
import type { UsageCounter } from './usage-counter.js';

/**
 * One upsert per count: the row is locked for the statement, so two instances counting the
 * same user at once both land, and a ceiling is never passed. With the ceiling reached, the
 * conflict's WHERE skips the update and nothing is returned.
 */
const addSql = `INSERT INTO usage_counters (user_id, kind, window_start, count)
  VALUES ($1, $2, $3::text::timestamptz, $4)
  ON CONFLICT (user_id, kind, window_start) DO UPDATE SET count = usage_counters.count + EXCLUDED.count
  WHERE $5::int8 IS NULL OR usage_counters.count + EXCLUDED.count <= $5::int8
  RETURNING count`;

/** The usage counters in PostgreSQL or PGlite (migrations/003_usage_counters.sql). */
export function createDatabaseUsageCounter(database: Pick<Database, 'query'>): UsageCounter {
  return {
    async add({ account, kind, windowStart }, amount, ceiling) {
      if (ceiling !== undefined && amount > ceiling) return null;
      const rows = await database.query<{ count: unknown }>(addSql, [account, kind, windowStart.toISOString(), amount, ceiling ?? null]);
      return rows[0] === undefined ? null : Number(rows[0].count);
    },

    async read({ account, kind, windowStart }) {
      const rows = await database.query<{ count: unknown }>(
        `SELECT count FROM usage_counters WHERE user_id = $1 AND kind = $2 AND window_start = $3::text::timestamptz`,
        [account, kind, windowStart.toISOString()],
      );
      return rows[0] === undefined ? 0 : Number(rows[0].count);
    },

    async forget(account, kind, before) {
      await database.query(`DELETE FROM usage_counters WHERE user_id = $1 AND kind = $2 AND window_start < $3::text::timestamptz`, [
        account,
        kind,
        before.toISOString(),
      ]);
    },
  };
}
