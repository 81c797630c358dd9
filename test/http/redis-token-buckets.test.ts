import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRedisTokenBuckets } from '../../src/http/redis-token-buckets.js';
import { redisCommandOptions } from '../../src/redis/redis-client-options.js';
import { createTestRedis, describeWithRedis, type TestRedis } from '../support/test-redis.js';

describeWithRedis('connection buckets in Redis', () => {
  let redis: TestRedis;
  let instances: Redis[];

  beforeEach(async () => {
    redis = await createTestRedis();
    instances = await Promise.all(
      [0, 1].map(async () => {
        const client = new Redis(redis.url, redisCommandOptions);
        await client.connect();
        return client;
      }),
    );
  });
  afterEach(async () => {
    for (const client of instances) client.disconnect();
    await redis.dispose();
  });

  it('gives an address its capacity at once across instances, then says how long to wait', async () => {
    const [first, second] = instances.map((client) => createRedisTokenBuckets(client, redis.prefix, 3));
    const taken = [await first!.take('203.0.113.1'), await second!.take('203.0.113.1'), await first!.take('203.0.113.1')];
    expect(taken).toStrictEqual([0, 0, 0]);
    expect(await second!.take('203.0.113.1')).toBe(20);
    expect(await second!.take('2001:db8::1')).toBe(0);
  });

  it('never lets more than the capacity through when many instances take at once', async () => {
    const buckets = instances.map((client) => createRedisTokenBuckets(client, redis.prefix, 10));
    const waits = await Promise.all(Array.from({ length: 40 }, (_, index) => buckets[index % 2]!.take('203.0.113.1')));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(10);
  });

  it('refills at the capacity a minute', async () => {
    const buckets = createRedisTokenBuckets(instances[0]!, redis.prefix, 120);
    await Promise.all(Array.from({ length: 120 }, () => buckets.take('203.0.113.1')));
    expect(await buckets.take('203.0.113.1')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await buckets.take('203.0.113.1')).toBe(0);
  });

  it('keeps a bucket only until it would have filled up again', async () => {
    const buckets = createRedisTokenBuckets(instances[0]!, redis.prefix, 3);
    await buckets.take('203.0.113.1');
    const [key] = (await redis.client.keys(`${redis.prefix}*`));
    expect(key).toBe(`${redis.prefix}connections:203.0.113.1`);
    const ttl = await redis.client.pttl(key!);
    expect(ttl).toBeGreaterThan(19_000);
    expect(ttl).toBeLessThanOrEqual(20_000);
  });
});
