import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createQuotaGate } from '../../src/quotas/create-quota-gate.js';
import { keptDaysMs } from '../../src/quotas/quota-windows.js';
import { createRedisUsageCounter } from '../../src/quotas/redis-usage-counter.js';
import { redisCommandOptions } from '../../src/redis/redis-client-options.js';
import { startDisposableRedis, type DisposableRedis } from '../support/disposable-redis.js';
import { freePort } from '../support/server-process.js';
import { createTestRedis, describeWithRedis, type TestRedis } from '../support/test-redis.js';
import { refusalOf } from '../support/refusal-of.js';

/** A client as an instance of Parley makes it: one per instance. */
async function instanceClient(url: string): Promise<Redis> {
  const client = new Redis(url, redisCommandOptions);
  client.on('error', () => {});
  await client.connect();
  return client;
}


async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const [, keys] = await redis.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 1000);
  return keys.sort();
}

describeWithRedis('usage counters in Redis', () => {
  let redis: TestRedis;
  let instances: Redis[];

  beforeEach(async () => {
    redis = await createTestRedis();
    instances = [await instanceClient(redis.url), await instanceClient(redis.url)];
  });
  afterEach(async () => {
    for (const client of instances) client.disconnect();
    await redis.dispose();
  });

  it('never passes a ceiling, however many instances count at once', async () => {
    const counters = instances.map((client) => createRedisUsageCounter(client, redis.prefix));
    const window = { account: 'alice', kind: 'messages' as const, windowStart: new Date('2026-11-29T10:00:00Z') };
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => counters[index % 2]!.add(window, 1, 5)));
    expect(results.filter((count) => count !== null).sort((left, right) => (left ?? 0) - (right ?? 0))).toStrictEqual([1, 2, 3, 4, 5]);
    expect(await counters[0]!.read(window)).toBe(5);
    expect(await counters[1]!.add(window, 9, 3)).toBeNull();
  });

  it('adds without a ceiling, reads 0 for a window never counted, and keeps accounts, kinds and windows apart', async () => {
    const counter = createRedisUsageCounter(instances[0]!, redis.prefix);
    const day = { account: 'address:::1', kind: 'model_tokens' as const, windowStart: new Date('2026-11-29T00:00:00Z') };
    expect(await counter.read(day)).toBe(0);
    expect(await counter.add(day, 600)).toBe(600);
    expect(await counter.add(day, 700)).toBe(1300);
    expect(await counter.read({ ...day, account: 'address:::2' })).toBe(0);
    expect(await counter.read({ ...day, kind: 'messages' })).toBe(0);
    expect(await counter.read({ ...day, windowStart: new Date('2026-11-30T00:00:00Z') })).toBe(0);
  });

  it("a gate over it refuses the 4th message of a 3-a-minute limit, whichever instances the 4 went to", async () => {
    const now = new Date('2026-11-29T10:00:15.200Z');
    const [first, second] = instances.map((client) =>
      createQuotaGate(createRedisUsageCounter(client, redis.prefix), { messagesPerMinute: 3, tokensPerDay: 0 }, () => now),
    );
    await first!.admitMessage('alice');
    await second!.admitMessage('alice');
    await first!.admitMessage('alice');
    const refusal = await refusalOf(second!.admitMessage('alice'));
    expect(refusal).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 45 });
    await second!.admitMessage('bob');
  });

  it('leaves nothing behind: a minute is kept two minutes, a day as long as the database keeps it', async () => {
    const counter = createRedisUsageCounter(instances[0]!, redis.prefix);
    const gate = createQuotaGate(counter, { messagesPerMinute: 5, tokensPerDay: 10_000 });
    await gate.admitMessage('alice');
    await gate.chargeTokens('alice', 120);
    const keys = await keysUnder(redis.client, redis.prefix);
    expect(keys.map((key) => key.split(':')[1])).toStrictEqual(['usage', 'usage']);
    const ttls: Record<string, number> = {};
    for (const key of keys) ttls[key.split(':')[2]!] = await redis.client.pttl(key);
    expect(ttls.messages).toBeGreaterThan(110_000);
    expect(ttls.messages).toBeLessThanOrEqual(120_000);
    expect(ttls.model_tokens).toBeGreaterThan(keptDaysMs - 10_000);
    expect(ttls.model_tokens).toBeLessThanOrEqual(keptDaysMs);
    // A later count does not push the expiry out.
    await instances[0]!.pexpire(keys[0]!, 5_000);
    await gate.admitMessage('alice');
    expect(await redis.client.pttl(keys[0]!)).toBeLessThanOrEqual(5_000);
  });
});

describeWithRedis('usage counters when Redis is down', () => {
  let own: DisposableRedis;
  beforeAll(async () => {
    own = await startDisposableRedis();
  });
  afterAll(async () => {
    own?.resume();
    await own?.stop();
  });

  it('answers storage_unavailable at once when nothing listens, and the gate refuses the message with it', async () => {
    const client = new Redis(`redis://127.0.0.1:${await freePort()}`, redisCommandOptions);
    client.on('error', () => {});
    await client.connect().catch(() => undefined);
    try {
      const counter = createRedisUsageCounter(client, 'parley:');
      const started = Date.now();
      const refusal = await refusalOf(counter.add({ account: 'alice', kind: 'messages', windowStart: new Date() }, 1, 3));
      expect(refusal).toMatchObject({ code: 'storage_unavailable', recoverable: true });
      expect(refusal.message).toMatch(/Redis/);
      const gate = createQuotaGate(counter, { messagesPerMinute: 3, tokensPerDay: 1_000 });
      expect(await refusalOf(gate.admitMessage('alice'))).toMatchObject({ code: 'storage_unavailable' });
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      client.disconnect();
    }
  });

  it('answers storage_unavailable within the command timeout when Redis stops answering, and counts again once it is back', async () => {
    const client = await instanceClient(own.url);
    try {
      const counter = createRedisUsageCounter(client, 'parley:');
      const window = { account: 'alice', kind: 'messages' as const, windowStart: new Date() };
      expect(await counter.add(window, 1, 3)).toBe(1);
      own.pause();
      const started = Date.now();
      expect(await refusalOf(counter.add(window, 1, 3))).toMatchObject({ code: 'storage_unavailable' });
      expect(await refusalOf(counter.read(window))).toMatchObject({ code: 'storage_unavailable' });
      expect(Date.now() - started).toBeLessThan(redisCommandOptions.commandTimeout * 2 + 1_000);
      own.resume();
      // The command that timed out may still have run once Redis woke: the count is 2 or 3, never past the ceiling.
      expect([2, 3, null]).toContain(await counter.add(window, 1, 3));
      expect(await counter.read(window)).toBeLessThanOrEqual(3);
    } finally {
      client.disconnect();
    }
  });
});
