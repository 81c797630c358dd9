import { bucketStarts, type AnalyticsRange } from './analytics-range.js';
import type { AnalyticsFigures, AnalyticsReport } from './analytics-schemas.js';
import type { ActivityRow, AnalyticsRows } from './read-analytics.js';

/**
 * The report from the rows SQL computed: every bucket of the range in order (empty ones as
 * zeros, so a chart's axis has no holes), and the totals over the whole range. Pure.
 */
export function buildAnalyticsReport(range: AnalyticsRange, userId: string | null, rows: AnalyticsRows): AnalyticsReport {
  const figures = new Map<string | null, AnalyticsFigures>();
  const figuresOf = (bucket: string | null): AnalyticsFigures => {
    const key = bucket === null ? null : new Date(bucket).toISOString();
    let found = figures.get(key);
    if (found === undefined) {
      found = emptyFigures();
      figures.set(key, found);
    }
    return found;
  };

  for (const row of rows.activity) Object.assign(figuresOf(row.bucket), activityFigures(row));
  for (const row of rows.models) {
    const target = figuresOf(row.bucket);
    target.tokens_by_model.push({ model: row.model, turns: row.turns, prompt_tokens: row.prompt_tokens, completion_tokens: row.completion_tokens });
    target.tokens.prompt += row.prompt_tokens;
    target.tokens.completion += row.completion_tokens;
  }
  for (const row of rows.tools) {
    figuresOf(row.bucket).tools.push({ name: row.name, calls: row.calls, errors: row.errors, error_rate: row.calls === 0 ? 0 : round(row.errors / row.calls, 4) });
  }
  for (const row of rows.errors) figuresOf(row.bucket).errors.push({ code: row.code, count: row.count });
  for (const each of figures.values()) sortLists(each);

  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    bucket: range.bucket,
    user_id: userId,
    totals: figures.get(null) ?? emptyFigures(),
    buckets: bucketStarts(range).map((start) => ({ start: start.toISOString(), ...(figures.get(start.toISOString()) ?? emptyFigures()) })),
  };
}

function activityFigures(row: ActivityRow): Pick<AnalyticsFigures, 'sessions' | 'active_users' | 'turns' | 'turns_by_status' | 'ttft_ms' | 'duration_ms'> {
  return {
    sessions: row.sessions,
    active_users: row.active_users,
    turns: row.turns,
    turns_by_status: { complete: row.complete, cancelled: row.cancelled, interrupted: row.interrupted, error: row.error },
    ttft_ms: { p50: roundOrNull(row.ttft_p50), p95: roundOrNull(row.ttft_p95) },
    duration_ms: { p50: roundOrNull(row.duration_p50), p95: roundOrNull(row.duration_p95) },
  };
}

function emptyFigures(): AnalyticsFigures {
  return {
    sessions: 0,
    active_users: 0,
    turns: 0,
    turns_by_status: { complete: 0, cancelled: 0, interrupted: 0, error: 0 },
    ttft_ms: { p50: null, p95: null },
    duration_ms: { p50: null, p95: null },
    tokens: { prompt: 0, completion: 0 },
    tokens_by_model: [],
    tools: [],
    errors: [],
  };
}

/** Biggest first, then by name, so the same data always reads the same. */
function sortLists(figures: AnalyticsFigures): void {
  figures.tokens_by_model.sort((one, other) => other.prompt_tokens + other.completion_tokens - (one.prompt_tokens + one.completion_tokens) || one.model.localeCompare(other.model));
  figures.tools.sort((one, other) => other.calls - one.calls || one.name.localeCompare(other.name));
  figures.errors.sort((one, other) => other.count - one.count || one.code.localeCompare(other.code));
}

/** Milliseconds to a tenth, as turn measures are recorded. */
function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value, 1);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
