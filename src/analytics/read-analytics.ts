import type { Queryable } from '../store/types.js';
import type { AnalyticsRange } from './analytics-range.js';

/** One grouping's figures as SQL returns them; `bucket` null on the row for the whole range. */
export interface ActivityRow {
  bucket: string | null;
  sessions: number;
  active_users: number;
  turns: number;
  complete: number;
  cancelled: number;
  interrupted: number;
  error: number;
  ttft_p50: number | null;
  ttft_p95: number | null;
  duration_p50: number | null;
  duration_p95: number | null;
}

export interface ModelRow {
  bucket: string | null;
  model: string;
  turns: number;
  prompt_tokens: number;
  completion_tokens: number;
}

export interface ToolRow {
  bucket: string | null;
  name: string;
  calls: number;
  errors: number;
}

export interface ErrorRow {
  bucket: string | null;
  code: string;
  count: number;
}

export interface AnalyticsRows {
  activity: ActivityRow[];
  models: ModelRow[];
  tools: ToolRow[];
  errors: ErrorRow[];
}

/** A number from the event metadata, or null when it holds something else. */
const numberAt = (field: string) => `CASE WHEN jsonb_typeof(e.metadata->'${field}') = 'number' THEN (e.metadata->>'${field}')::float8 END`;
const turnNumberAt = (field: string) => `CASE WHEN e.event_type = 'assistant_message' THEN ${numberAt(field)} END`;

/**
 * Every figure of the report in one statement, so the range's events are read once: the
 * events are narrowed to a few typed columns (materialized), then grouped four ways, each by
 * bucket and over the whole range at once (GROUPING SETS). `$1`/`$2`: the range, `$3`: the
 * bucket unit, `$4`: the user whose sessions count (only in the scoped text, so that a
 * generic plan for everyone never carries a filter it cannot use).
 */
export function analyticsSql(scopedToUser: boolean): string {
  return `WITH scoped AS MATERIALIZED (
    SELECT date_trunc($3::text, e.created_at, 'UTC') AS bucket,
           e.session_id, s.user_id, e.event_type,
           e.metadata->>'status' AS status,
           ${turnNumberAt('ttft_ms')} AS ttft_ms,
           ${turnNumberAt('duration_ms')} AS duration_ms,
           CASE WHEN e.event_type = 'assistant_message' THEN COALESCE(e.metadata->>'model', 'unknown') END AS model,
           ${turnNumberAt('prompt_tokens')} AS prompt_tokens,
           ${turnNumberAt('completion_tokens')} AS completion_tokens,
           CASE WHEN e.event_type IN ('tool_call', 'tool_result') THEN COALESCE(e.metadata->>'name', e.content, 'unknown') END AS tool,
           CASE WHEN e.event_type = 'write_failed' THEN 'write_failed'
                WHEN e.event_type = 'assistant_message' AND e.metadata->>'status' = 'error' THEN COALESCE(e.metadata->>'error_code', 'unknown')
           END AS error_code,
           e.event_type = 'tool_result' AND e.metadata ? 'error' AS tool_failed
    FROM session_events e
    JOIN sessions s ON s.session_id = e.session_id
    WHERE e.created_at >= $1::timestamptz AND e.created_at < $2::timestamptz${scopedToUser ? ' AND s.user_id = $4::text' : ''}
  ),
  activity AS (
    SELECT bucket,
           count(DISTINCT session_id)::int AS sessions,
           count(DISTINCT user_id)::int AS active_users,
           count(*) FILTER (WHERE event_type = 'assistant_message')::int AS turns,
           count(*) FILTER (WHERE event_type = 'assistant_message' AND status = 'complete')::int AS complete,
           count(*) FILTER (WHERE event_type = 'assistant_message' AND status = 'cancelled')::int AS cancelled,
           count(*) FILTER (WHERE event_type = 'assistant_message' AND status = 'interrupted')::int AS interrupted,
           count(*) FILTER (WHERE event_type = 'assistant_message' AND status = 'error')::int AS error,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ttft_ms) AS ttft_p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY ttft_ms) AS ttft_p95,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS duration_p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS duration_p95
    FROM scoped
    GROUP BY GROUPING SETS ((bucket), ())
  ),
  models AS (
    SELECT bucket, model, count(*)::int AS turns,
           COALESCE(sum(prompt_tokens), 0) AS prompt_tokens, COALESCE(sum(completion_tokens), 0) AS completion_tokens
    FROM scoped WHERE model IS NOT NULL
    GROUP BY GROUPING SETS ((bucket, model), (model))
  ),
  tools AS (
    SELECT bucket, tool AS name,
           count(*) FILTER (WHERE event_type = 'tool_call')::int AS calls,
           count(*) FILTER (WHERE tool_failed)::int AS errors
    FROM scoped WHERE tool IS NOT NULL
    GROUP BY GROUPING SETS ((bucket, tool), (tool))
  ),
  errors AS (
    SELECT bucket, error_code AS code, count(*)::int AS count
    FROM scoped WHERE error_code IS NOT NULL
    GROUP BY GROUPING SETS ((bucket, error_code), (error_code))
  )
  SELECT (SELECT COALESCE(jsonb_agg(to_jsonb(activity)), '[]'::jsonb) FROM activity)::text AS activity,
         (SELECT COALESCE(jsonb_agg(to_jsonb(models)), '[]'::jsonb) FROM models)::text AS models,
         (SELECT COALESCE(jsonb_agg(to_jsonb(tools)), '[]'::jsonb) FROM tools)::text AS tools,
         (SELECT COALESCE(jsonb_agg(to_jsonb(errors)), '[]'::jsonb) FROM errors)::text AS errors`;
}

/**
 * The raw figures of a range, for everyone (`userId` null) or one user's sessions. Rows come
 * back as JSON text, which both drivers hand over alike (no bigint or numeric conversions).
 */
export async function readAnalytics(database: Queryable, range: AnalyticsRange, userId: string | null): Promise<AnalyticsRows> {
  const params: unknown[] = [range.from.toISOString(), range.to.toISOString(), range.bucket];
  if (userId !== null) params.push(userId);
  const [row] = await database.query<Record<keyof AnalyticsRows, string>>(analyticsSql(userId !== null), params);
  if (row === undefined) return { activity: [], models: [], tools: [], errors: [] };
  return {
    activity: JSON.parse(row.activity) as ActivityRow[],
    models: JSON.parse(row.models) as ModelRow[],
    tools: JSON.parse(row.tools) as ToolRow[],
    errors: JSON.parse(row.errors) as ErrorRow[],
  };
}
