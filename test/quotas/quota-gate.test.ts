import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createQuotaGate } from '../../src/quotas/create-quota-gate.js';
import { createDatabaseUsageCounter } from '../../src/quotas/database-usage-counter.js';
import type { UsageCounter } from '../../src/quotas/usage-counter.js';
import type { Database } from '../../src/store/types.js';
import { databaseVariants, type TestDatabase } from '../store/databases.js';
import { refusalOf } from '../support/refusal-of.js';


describe.each(databaseVariants)('quotas counted on $kind', (variant) => {
  let testDatabase: TestDatabase;
  let database: Database;
  let counter: UsageCounter;

  beforeAll(async () => {
    testDatabase = await variant.create();
    database = testDatabase.database;
    counter = createDatabaseUsageCounter(database);
  });
  afterAll(async () => {
    await testDatabase?.dispose();
  });
  beforeEach(async () => {
    await database?.query('DELETE FROM usage_counters');
  });

  it('never passes a ceiling, however many instances count at once', async () => {
    const other = createDatabaseUsageCounter(await testDatabase.connect());
    const window = { account: 'alice', kind: 'messages' as const, windowStart: new Date('2026-11-29T10:00:00Z') };
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? counter : other).add(window, 1, 5)));
    expect(results.filter((count) => count !== null).sort((left, right) => (left ?? 0) - (right ?? 0))).toStrictEqual([1, 2, 3, 4, 5]);
    expect(await counter.read(window)).toBe(5);
  });

  it('refuses the message past the rate until the next minute, saying in how many seconds', async () => {
    let now = new Date('2026-11-29T10:00:15.200Z');
    const gate = createQuotaGate(counter, { messagesPerMinute: 2, tokensPerDay: 0 }, () => now);
    await gate.admitMessage('alice');
    await gate.admitMessage('alice');
    const refusal = await refusalOf(gate.admitMessage('alice'));
    expect(refusal).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 45 });
    expect(refusal.toFrame()).toMatchObject({ type: 'error', code: 'rate_limited', retry_after_s: 45 });
    await gate.admitMessage('bob');

    now = new Date('2026-11-29T10:01:00.000Z');
    await gate.admitMessage('alice');
    // The first message of a minute clears the finished minutes.
    const rows = await database.query<{ start: string }>(
      `SELECT to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS start FROM usage_counters WHERE user_id = 'alice'`,
    );
    expect(rows).toStrictEqual([{ start: '2026-11-29T10:01:00' }]);
  });

  it("refuses messages once the day's model tokens are spent, until 00:00 UTC, and counts nothing meanwhile", async () => {
    let now = new Date('2026-11-29T23:59:30.000Z');
    const gate = createQuotaGate(counter, { messagesPerMinute: 10, tokensPerDay: 1_000 }, () => now);
    await gate.admitMessage('alice');
    await gate.chargeTokens('alice', 600);
    await gate.admitMessage('alice');
    await gate.chargeTokens('alice', 600);
    const refusal = await refusalOf(gate.admitMessage('alice'));
    expect(refusal).toMatchObject({ code: 'quota_exceeded', retryAfterSeconds: 30 });
    expect(refusal.message).toMatch(/1000 model tokens.*00:00 UTC/);
    const minute = { account: 'alice', kind: 'messages' as const, windowStart: new Date('2026-11-29T23:59:00.000Z') };
    expect(await counter.read(minute)).toBe(2);

    now = new Date('2026-11-30T00:00:01.000Z');
    await gate.admitMessage('alice');
  });
});
