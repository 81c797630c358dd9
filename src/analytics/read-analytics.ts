import type { Queryable } from '../store/types.js';
import type { AnalyticsRange } from './analytics-range.js';

/**
 * Rows as SQL returns them. Sessions, users and percentiles come per bucket and, with `bucket`
 * null, for the whole range (they do not add up); the counts by model, tool and code come per
 * bucket only, and the report adds them up.
 */
export interface PresenceRow {
  bucket: string | null;
  sessions: number;
  active_users: number;
}

export interface TurnRow {
  bucket: string | null;
  turns: number;
  complete: number;
  cancelled: number;
  interrupted: number;
  error: number;
  /** p50 and p95, or null when no turn had the measure. */
  ttft_ms: [number, number] | null;
  duration_ms: [number, number] | null;
}

export interface ModelRow {
  bucket: string;
  model: string;
  turns: number;
  prompt_tokens: number;
  completion_tokens: number;
}

export interface ToolRow {
  bucket: string;
  name: string;
  calls: number;
  errors: number;
}

export interface ErrorRow {
  bucket: string;
  code: string;
  count: number;
}

export interface AnalyticsRows {
  presence: PresenceRow[];
  turns: TurnRow[];
  models: ModelRow[];
  tools: ToolRow[];
  errors: ErrorRow[];
}

/** A number from the event metadata, or null when it holds something else. */
const numberAt = (field: string) => `CASE WHEN jsonb_typeof(metadata->'${field}') = 'number' THEN (metadata->>'${field}')::float8 END`;
const bucketOf = `date_trunc($3::text, created_at, 'UTC')`;

/**
 * Every figure of the report in one statement, one round trip. Each grouping reads only the
 * events it needs from the range (user messages, turns, tool events), narrowed to a few typed
 * columns, with text keys compared bytewise (COLLATE "C": a locale's collation made the sorts
 * several times slower). Distinct counts and percentiles are grouped by bucket and over the
 * whole range at once (GROUPING SETS). `$1`/`$2`: the range, `$3`: the bucket unit, `$4`: the user
 * whose sessions count (only in the scoped text, so that the plan for everyone carries no
 * filter it cannot use).
 */
export function analyticsSql(scopedToUser: boolean): string {
  return `WITH events AS NOT MATERIALIZED (
    SELECT created_at, session_id, event_type, content, metadata
    FROM session_events
    WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz${scopedToUser ? `
      AND session_id IN (SELECT session_id FROM sessions WHERE user_id = $4::text)` : ''}
  ),
  present AS (
    SELECT ${bucketOf} AS bucket, session_id COLLATE "C" AS session_id
    FROM events WHERE event_type = 'user_message'
    GROUP BY 1, 2
  ),
  presence AS (
    SELECT present.bucket, count(DISTINCT present.session_id)::int AS sessions, count(DISTINCT sessions.user_id COLLATE "C")::int AS active_users
    FROM present JOIN sessions ON sessions.session_id = present.session_id
    GROUP BY GROUPING SETS ((present.bucket), ())
  ),
  turn AS MATERIALIZED (
    SELECT ${bucketOf} AS bucket,
           metadata->>'status' AS status,
           ${numberAt('ttft_ms')} AS ttft_ms,
           ${numberAt('duration_ms')} AS duration_ms,
           COALESCE(metadata->>'model', 'unknown') COLLATE "C" AS model,
           ${numberAt('prompt_tokens')} AS prompt_tokens,
           ${numberAt('completion_tokens')} AS completion_tokens,
           CASE WHEN metadata->>'status' = 'error' THEN COALESCE(metadata->>'error_code', 'unknown') END AS error_code
    FROM events WHERE event_type = 'assistant_message'
  ),
  turns AS (
    SELECT bucket,
           count(*)::int AS turns,
           count(*) FILTER (WHERE status = 'complete')::int AS complete,
           count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
           count(*) FILTER (WHERE status = 'interrupted')::int AS interrupted,
           count(*) FILTER (WHERE status = 'error')::int AS error,
           percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY ttft_ms) AS ttft_ms,
           percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY duration_ms) AS duration_ms
    FROM turn
    GROUP BY GROUPING SETS ((bucket), ())
  ),
  models AS (
    SELECT bucket, model, count(*)::int AS turns,
           COALESCE(sum(prompt_tokens), 0) AS prompt_tokens, COALESCE(sum(completion_tokens), 0) AS completion_tokens
    FROM turn
    GROUP BY bucket, model
  ),
  tools AS (
    SELECT bucket, name, count(*) FILTER (WHERE event_type = 'tool_call')::int AS calls, count(*) FILTER (WHERE failed)::int AS errors
    FROM (
      SELECT ${bucketOf} AS bucket, COALESCE(metadata->>'name', content, 'unknown') COLLATE "C" AS name, event_type,
             event_type = 'tool_result' AND metadata ? 'error' AS failed
      FROM events WHERE event_type IN ('tool_call', 'tool_result')
    ) AS tool_event
    GROUP BY bucket, name
  ),
  errors AS (
    SELECT bucket, code, count(*)::int AS count
    FROM (
      SELECT bucket, error_code AS code FROM turn WHERE error_code IS NOT NULL
      UNION ALL
      SELECT ${bucketOf}, 'write_failed' FROM events WHERE event_type = 'write_failed'
    ) AS failure
    GROUP BY bucket, code
  )
  SELECT (SELECT COALESCE(jsonb_agg(to_jsonb(grouped)), '[]'::jsonb) FROM presence AS grouped)::text AS presence,
         (SELECT COALESCE(jsonb_agg(to_jsonb(grouped)), '[]'::jsonb) FROM turns AS grouped)::text AS turns,
         (SELECT COALESCE(jsonb_agg(to_jsonb(grouped)), '[]'::jsonb) FROM models AS grouped)::text AS models,
         (SELECT COALESCE(jsonb_agg(to_jsonb(grouped)), '[]'::jsonb) FROM tools AS grouped)::text AS tools,
         (SELECT COALESCE(jsonb_agg(to_jsonb(grouped)), '[]'::jsonb) FROM errors AS grouped)::text AS errors`;
}

/**
 * The raw figures of a range, for everyone (`userId` null) or one user's sessions. Rows come
 * back as JSON text, which both drivers hand over alike (no bigint or numeric conversions).
 */
export async function readAnalytics(database: Queryable, range: AnalyticsRange, userId: string | null): Promise<AnalyticsRows> {
  const params: unknown[] = [range.from.toISOString(), range.to.toISOString(), range.bucket];
  if (userId !== null) params.push(userId);
  const [row] = await database.query<Record<keyof AnalyticsRows, string>>(analyticsSql(userId !== null), params);
  if (row === undefined) return { presence: [], turns: [], models: [], tools: [], errors: [] };
  return {
    presence: JSON.parse(row.presence) as PresenceRow[],
    turns: JSON.parse(row.turns) as TurnRow[],
    models: JSON.parse(row.models) as ModelRow[],
    tools: JSON.parse(row.tools) as ToolRow[],
    errors: JSON.parse(row.errors) as ErrorRow[],
  };
}
