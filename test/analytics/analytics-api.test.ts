import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsFigures, AnalyticsReport } from '../../src/analytics/analytics-schemas.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { signWithSecret, userClaims } from '../auth/support/tokens.js';
import { seedAnalyticsFixture } from './analytics-fixture.js';

const secret = 'analytics-api-test-jwt-secret-of-forty-c';
const apiToken = 'analytics-api-operator-token';

const none = { complete: 0, cancelled: 0, interrupted: 0, error: 0 };

/** Every figure of the fixture's two days (analytics-fixture.ts), counted by hand. */
const firstDay: AnalyticsFigures = {
  // a1 and b1, and a2 whose first message came at 23:59:59.5.
  sessions: 3,
  active_users: 2,
  turns: 3,
  turns_by_status: { ...none, complete: 1, cancelled: 1, error: 1 },
  // ttft 100 and 200 (the failed turn had none); durations 300, 500, 1000.
  ttft_ms: { p50: 150, p95: 195 },
  duration_ms: { p50: 500, p95: 950 },
  tokens: { prompt: 100, completion: 12 },
  tokens_by_model: [
    { model: 'm-large', turns: 2, prompt_tokens: 70, completion_tokens: 12 },
    { model: 'm-small', turns: 1, prompt_tokens: 30, completion_tokens: 0 },
  ],
  tools: [
    { name: 'calculator', calls: 1, errors: 0, error_rate: 0 },
    { name: 'fetch_data', calls: 1, errors: 1, error_rate: 1 },
  ],
  errors: [{ code: 'llm_timeout', count: 1 }],
};
const secondDay: AnalyticsFigures = {
  sessions: 2,
  // n1 has no owner.
  active_users: 1,
  turns: 3,
  turns_by_status: { ...none, complete: 2, interrupted: 1 },
  // ttft 300, 400, 500; durations 600, 2000, 4000.
  ttft_ms: { p50: 400, p95: 490 },
  duration_ms: { p50: 2000, p95: 3800 },
  tokens: { prompt: 105, completion: 55 },
  tokens_by_model: [
    { model: 'm-large', turns: 1, prompt_tokens: 60, completion_tokens: 30 },
    { model: 'm-small', turns: 1, prompt_tokens: 40, completion_tokens: 20 },
    { model: 'unknown', turns: 1, prompt_tokens: 5, completion_tokens: 5 },
  ],
  tools: [{ name: 'calculator', calls: 2, errors: 1, error_rate: 0.5 }],
  errors: [{ code: 'write_failed', count: 1 }],
};
const bothDays: AnalyticsFigures = {
  sessions: 4,
  active_users: 2,
  turns: 6,
  turns_by_status: { complete: 3, cancelled: 1, interrupted: 1, error: 1 },
  // ttft 100..500: p95 = 400 + 0.8 * 100; durations 300, 500, 600, 1000, 2000, 4000.
  ttft_ms: { p50: 300, p95: 480 },
  duration_ms: { p50: 800, p95: 3500 },
  tokens: { prompt: 205, completion: 67 },
  tokens_by_model: [
    { model: 'm-large', turns: 3, prompt_tokens: 130, completion_tokens: 42 },
    { model: 'm-small', turns: 2, prompt_tokens: 70, completion_tokens: 20 },
    { model: 'unknown', turns: 1, prompt_tokens: 5, completion_tokens: 5 },
  ],
  tools: [
    { name: 'calculator', calls: 3, errors: 1, error_rate: 0.3333 },
    { name: 'fetch_data', calls: 1, errors: 1, error_rate: 1 },
  ],
  errors: [{ code: 'llm_timeout', count: 1 }, { code: 'write_failed', count: 1 }],
};

describe.each(serverDatabaseVariants)('GET /api/analytics on $kind', (variant) => {
  let database: ServerDatabase;
  let server: RunningServer;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    database = await variant.create();
    server = await startServer({ ...database.settings, AUTH_JWT_SECRET: secret, API_TOKEN: apiToken });
    await seedAnalyticsFixture(server.app.parley.database);
    alice = await signWithSecret(secret, userClaims({ sub: 'alice' }));
    bob = await signWithSecret(secret, userClaims({ sub: 'bob' }));
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  const report = async (query: string, token: string = apiToken) => {
    const response = await server.app.inject({ url: `/api/analytics?${query}`, headers: { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, body: response.json<AnalyticsReport & { code?: string; detail?: string }>() };
  };

  it('gives an operator every figure of the fixture equal to the hand count, day by day and in total', async () => {
    const { status, body } = await report('from=2026-03-01&to=2026-03-02&bucket=day');
    expect(status).toBe(200);
    expect(body).toStrictEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
      bucket: 'day',
      user_id: null,
      totals: bothDays,
      buckets: [
        { start: '2026-03-01T00:00:00.000Z', ...firstDay },
        { start: '2026-03-02T00:00:00.000Z', ...secondDay },
      ],
    });
  });

  it('counts an event at 23:59:59.999 in its hour and one at 00:00:00.000 in the next', async () => {
    const { status, body } = await report('from=2026-03-01T23:00:00Z&to=2026-03-02T01:00:00Z&bucket=hour');
    expect(status).toBe(200);
    expect(body.buckets.map((bucket) => [bucket.start, bucket.sessions, bucket.turns, bucket.turns_by_status])).toStrictEqual([
      ['2026-03-01T23:00:00.000Z', 2, 1, { ...none, error: 1 }],
      // a2's answer at midnight is a turn of this hour; its message, and so the session, the last hour's.
      ['2026-03-02T00:00:00.000Z', 0, 1, { ...none, complete: 1 }],
    ]);
    expect(body.totals.turns).toBe(2);
  });

  it('cuts buckets at from and to given with times and offsets, the end excluded', async () => {
    // From 09:05 on the first day (a1's first turn at 09:00:02 is before it) up to a2's
    // interrupted turn at 12:00:04 on the second, which the end excludes, as n1's later turn.
    const { body } = await report('from=2026-03-01T11:05:00%2B02:00&to=2026-03-02T12:00:04Z&bucket=day');
    expect(body.from).toBe('2026-03-01T09:05:00.000Z');
    expect(body.totals.turns_by_status).toStrictEqual({ complete: 1, cancelled: 1, interrupted: 0, error: 1 });
    expect(body.buckets.map((bucket) => bucket.start)).toStrictEqual(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']);
  });

  it('shows a user only their own sessions, whatever user_id they ask for', async () => {
    for (const query of ['from=2026-03-01&to=2026-03-02', 'from=2026-03-01&to=2026-03-02&user_id=bob']) {
      const { status, body } = await report(query, alice);
      expect(status).toBe(200);
      expect(body.user_id).toBe('alice');
      expect(body.totals).toMatchObject({
        sessions: 2,
        active_users: 1,
        turns: 4,
        // ttft 100..400: p95 = 300 + 0.85 * 100; durations 300, 1000, 2000, 4000.
        ttft_ms: { p50: 250, p95: 385 },
        duration_ms: { p50: 1500, p95: 3700 },
        tools: [{ name: 'calculator', calls: 3, errors: 1, error_rate: 0.3333 }],
        errors: [],
      });
    }
    const bobsOwn = await report('from=2026-03-01&to=2026-03-02', bob);
    expect(bobsOwn.body.totals).toMatchObject({ sessions: 1, turns: 1, ttft_ms: { p50: null, p95: null }, errors: [{ code: 'llm_timeout', count: 1 }] });
  });

  it('lets an operator narrow the report to one user', async () => {
    const { body } = await report('from=2026-03-01&to=2026-03-02&user_id=bob');
    expect(body.user_id).toBe('bob');
    expect(body.totals).toMatchObject({
      sessions: 1,
      active_users: 1,
      turns: 1,
      duration_ms: { p50: 500, p95: 500 },
      tools: [{ name: 'fetch_data', calls: 1, errors: 1, error_rate: 1 }],
    });
  });

  it('covers the last seven UTC days by day when no dates are given', async () => {
    const { status, body } = await report('');
    expect(status).toBe(200);
    const today = new Date();
    const sixDaysBefore = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 6));
    expect(body.bucket).toBe('day');
    expect(body.from).toBe(sixDaysBefore.toISOString());
    expect(body.buckets).toHaveLength(7);
    expect(body.totals.turns).toBe(0);
  });

  it('refuses a request without a token', async () => {
    const response = await server.app.inject({ url: '/api/analytics' });
    expect(response.statusCode).toBe(401);
  });

  it.each([
    ['a word for a date', 'from=yesterday', 'from must be an ISO date'],
    ['a day February does not have', 'from=2026-02-30', 'from names no calendar day'],
    ['a time without its offset', 'from=2026-03-01T10:00', 'with its offset'],
    ['hour 25', 'to=2026-03-01T25:00:00Z', 'to must be an ISO date'],
    ['from after to', 'from=2026-03-02&to=2026-03-01', 'must be before to'],
    ['over a year of days', 'from=2025-01-01&to=2026-03-01', 'at most 366 days'],
    ['over a month of hours', 'from=2026-01-01&to=2026-03-01&bucket=hour', 'at most 31 days'],
    ['a bucket of a week', 'bucket=week', 'bucket must be hour or day'],
    ['10,000 characters of from', `from=${'9'.repeat(10_000)}`, 'from is longer than an ISO date and time'],
    ['from given twice', 'from=2026-03-01&from=2026-03-02', 'from must be given once'],
    ['a control character in user_id', 'user_id=%01x', 'user_id must not contain control characters'],
  ])('answers %s with a clear 400', async (_case, query, words) => {
    const { status, body } = await report(query);
    expect(status).toBe(400);
    expect(body.code).toBe('bad_request');
    expect(body.detail).toContain(words);
  });
});
