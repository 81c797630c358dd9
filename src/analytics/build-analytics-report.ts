import { bucketStarts, type AnalyticsRange } from './analytics-range.js';
import type { AnalyticsFigures, AnalyticsReport } from './analytics-schemas.js';
import type { AnalyticsRows, TurnRow } from './read-analytics.js';

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

  for (const row of rows.presence) Object.assign(figuresOf(row.bucket), { sessions: row.sessions, active_users: row.active_users });
  for (const row of rows.turns) Object.assign(figuresOf(row.bucket), turnFigures(row));
  const totals = figuresOf(null);
  for (const row of rows.models) {
    for (const target of [figuresOf(row.bucket), totals]) {
      const entry = findOrAdd(target.tokens_by_model, (each) => each.model === row.model, () => ({ model: row.model, turns: 0, prompt_tokens: 0, completion_tokens: 0 }));
      entry.turns += row.turns;
      entry.prompt_tokens += row.prompt_tokens;
      entry.completion_tokens += row.completion_tokens;
      target.tokens.prompt += row.prompt_tokens;
      target.tokens.completion += row.completion_tokens;
    }
  }
  for (const row of rows.tools) {
    for (const target of [figuresOf(row.bucket), totals]) {
      const entry = findOrAdd(target.tools, (each) => each.name === row.name, () => ({ name: row.name, calls: 0, errors: 0, error_rate: 0 }));
      entry.calls += row.calls;
      entry.errors += row.errors;
      entry.error_rate = entry.calls === 0 ? 0 : round(entry.errors / entry.calls, 4);
    }
  }
  for (const row of rows.errors) {
    for (const target of [figuresOf(row.bucket), totals]) {
      findOrAdd(target.errors, (each) => each.code === row.code, () => ({ code: row.code, count: 0 })).count += row.count;
    }
  }
  for (const each of figures.values()) sortLists(each);

  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    bucket: range.bucket,
    user_id: userId,
    totals,
    buckets: bucketStarts(range).map((start) => ({ start: start.toISOString(), ...(figures.get(start.toISOString()) ?? emptyFigures()) })),
  };
}

function turnFigures(row: TurnRow): Pick<AnalyticsFigures, 'turns' | 'turns_by_status' | 'ttft_ms' | 'duration_ms'> {
  return {
    turns: row.turns,
    turns_by_status: { complete: row.complete, cancelled: row.cancelled, interrupted: row.interrupted, error: row.error },
    ttft_ms: percentiles(row.ttft_ms),
    duration_ms: percentiles(row.duration_ms),
  };
}

/** SQL's [p50, p95] in milliseconds to a tenth, as turn measures are recorded. */
function percentiles(values: [number, number] | null): AnalyticsFigures['ttft_ms'] {
  return values === null ? { p50: null, p95: null } : { p50: round(values[0], 1), p95: round(values[1], 1) };
}

function findOrAdd<T>(list: T[], matches: (item: T) => boolean, create: () => T): T {
  let found = list.find(matches);
  if (found === undefined) {
    found = create();
    list.push(found);
  }
  return found;
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

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
