import { describe, expect, it } from 'vitest';
import { bucketStarts, resolveAnalyticsRange } from '../../src/analytics/analytics-range.js';

const now = new Date('2026-03-10T15:30:00.000Z');
const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('the analytics range', () => {
  it('defaults to the last seven UTC days by day, today included, up to now', () => {
    const range = resolveAnalyticsRange({}, now);
    expect(range).toStrictEqual({ from: new Date('2026-03-04T00:00:00.000Z'), to: now, bucket: 'day' });
    expect(iso(bucketStarts(range))).toStrictEqual([
      '2026-03-04T00:00:00.000Z', '2026-03-05T00:00:00.000Z', '2026-03-06T00:00:00.000Z', '2026-03-07T00:00:00.000Z',
      '2026-03-08T00:00:00.000Z', '2026-03-09T00:00:00.000Z', '2026-03-10T00:00:00.000Z',
    ]);
  });

  it('takes a date alone as the whole day: from its midnight, to the next one', () => {
    const range = resolveAnalyticsRange({ from: '2026-03-01', to: '2026-03-01', bucket: 'hour' }, now);
    expect(range.from.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(range.to.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(bucketStarts(range)).toHaveLength(24);
  });

  it('defaults from to seven days before a given to', () => {
    expect(resolveAnalyticsRange({ to: '2026-03-01' }, now).from.toISOString()).toBe('2026-02-23T00:00:00.000Z');
  });

  it('starts the first bucket at the hour or day from falls in', () => {
    const range = resolveAnalyticsRange({ from: '2026-03-01T10:45:00Z', to: '2026-03-01T12:00:00.001Z', bucket: 'hour' }, now);
    expect(iso(bucketStarts(range))).toStrictEqual(['2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z', '2026-03-01T12:00:00.000Z']);
  });

  it('reads offsets, and leap days only in leap years', () => {
    expect(resolveAnalyticsRange({ from: '2028-02-29T01:00:00.5+01:00', to: '2028-03-01' }, now).from.toISOString()).toBe('2028-02-29T00:00:00.500Z');
    expect(() => resolveAnalyticsRange({ from: '2026-02-29' }, now)).toThrow('names no calendar day');
  });

  it('allows exactly 366 days of days and 31 days of hours, not a millisecond more', () => {
    expect(bucketStarts(resolveAnalyticsRange({ from: '2025-01-01', to: '2026-01-01' }, now))).toHaveLength(366);
    expect(() => resolveAnalyticsRange({ from: '2025-01-01T00:00:00Z', to: '2026-01-02T00:00:00.001Z' }, now)).toThrow('at most 366 days');
    expect(bucketStarts(resolveAnalyticsRange({ from: '2026-01-01', to: '2026-01-31', bucket: 'hour' }, now))).toHaveLength(744);
    expect(() => resolveAnalyticsRange({ from: '2026-01-01', to: '2026-02-01', bucket: 'hour' }, now)).toThrow('at most 31 days; this one spans 32. Narrow it or use bucket=day');
  });

  it('refuses an empty range', () => {
    expect(() => resolveAnalyticsRange({ from: '2026-03-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }, now)).toThrow('must be before to');
  });
});
