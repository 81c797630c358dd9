import { ParleyError } from '../errors/index.js';

export type AnalyticsBucket = 'hour' | 'day';

/** The period analytics cover: [from, to), cut into UTC hours or days. */
export interface AnalyticsRange {
  from: Date;
  to: Date;
  bucket: AnalyticsBucket;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** The longest range per bucket size: a year of days, a month of hours (at most 744 buckets either way). */
export const maxRangeDays: Record<AnalyticsBucket, number> = { day: 366, hour: 31 };

/** When `from` is not given: the last 7 UTC days, the one `to` falls in included. */
const defaultDays = 7;

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The range a request asks for, or a `bad_request` saying what is wrong. A date alone
 * (`2026-11-29`) is midnight UTC as `from` and the end of that day as `to`, so
 * `from=D&to=D` is the whole day D; a date and time needs its offset (`Z` or `+02:00`).
 */
export function resolveAnalyticsRange(query: { from?: string | undefined; to?: string | undefined; bucket?: AnalyticsBucket | undefined }, now: Date): AnalyticsRange {
  const bucket = query.bucket ?? 'day';
  const to = query.to === undefined || query.to === '' ? now : parseInstant(query.to, 'to');
  const from = query.from === undefined || query.from === '' ? new Date(startOfUtcDay(to.getTime() - 1) - (defaultDays - 1) * dayMs) : parseInstant(query.from, 'from');
  if (from.getTime() >= to.getTime()) {
    throw new ParleyError('bad_request', `from (${from.toISOString()}) must be before to (${to.toISOString()}).`);
  }
  const spanDays = (to.getTime() - from.getTime()) / dayMs;
  if (spanDays > maxRangeDays[bucket]) {
    throw new ParleyError(
      'bad_request',
      `With ${bucket} buckets the range spans at most ${maxRangeDays[bucket]} days; this one spans ${Math.ceil(spanDays)}. Narrow it${bucket === 'hour' ? ' or use bucket=day' : ''}.`,
    );
  }
  return { from, to, bucket };
}

/** The start of every bucket the range touches, in order; the first and last may be cut by from and to. */
export function bucketStarts(range: AnalyticsRange): Date[] {
  const step = range.bucket === 'hour' ? hourMs : dayMs;
  const first = range.bucket === 'hour' ? Math.floor(range.from.getTime() / hourMs) * hourMs : startOfUtcDay(range.from.getTime());
  const starts: Date[] = [];
  for (let start = first; start < range.to.getTime(); start += step) starts.push(new Date(start));
  return starts;
}

function parseInstant(text: string, name: 'from' | 'to'): Date {
  const dateOnly = isoDate.exec(text);
  if (dateOnly) {
    const midnight = utcDate(dateOnly, text, name);
    return name === 'to' ? new Date(midnight + dayMs) : new Date(midnight);
  }
  const dateTime = isoDateTime.exec(text);
  if (dateTime) {
    utcDate(dateTime, text, name);
    const [hours, minutes, seconds] = [Number(dateTime[4]), Number(dateTime[5]), Number(dateTime[6] ?? 0)];
    const time = Date.parse(text);
    if (hours < 24 && minutes < 60 && seconds < 60 && Number.isFinite(time)) return new Date(time);
  }
  throw new ParleyError(
    'bad_request',
    `${name} must be an ISO date (2026-11-29) or a date and time with its offset (2026-11-29T10:00:00Z); got ${JSON.stringify(text.slice(0, 40))}.`,
  );
}

/** Midnight UTC of the date in the match, refusing days the month does not have (2026-02-30). */
function utcDate(match: RegExpExecArray, text: string, name: string): number {
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const midnight = Date.UTC(year, month - 1, day);
  const check = new Date(midnight);
  if (year < 1970 || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new ParleyError('bad_request', `${name} names no calendar day from 1970 on: ${JSON.stringify(text.slice(0, 40))}.`);
  }
  return midnight;
}

function startOfUtcDay(time: number): number {
  return Math.floor(time / dayMs) * dayMs;
}
