import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe } from 'vitest';

/**
 * The Redis a test file uses: TEST_REDIS_URL (required in CI, where .ci/run starts Redis),
 * with a key prefix of the file's own so files running side by side never share a key.
 * Outside CI with no TEST_REDIS_URL the suites that need it are skipped.
 */
export const testRedisUrl: string | undefined = process.env.TEST_REDIS_URL?.trim() || undefined;

if (!testRedisUrl && process.env.CI === 'true') {
  throw new Error('TEST_REDIS_URL is not set: CI must run the Redis suites (.ci/run sets it).');
}

export const describeWithRedis = testRedisUrl ? describe : describe.skip;

export interface TestRedis {
  url: string;
  /** A fresh REDIS_KEY_PREFIX for this test. */
  prefix: string;
  /** A client of its own, for assertions and for breaking things on purpose. */
  client: Redis;
  /** Deletes every key under the prefix and closes the client. */
  dispose(): Promise<void>;
}

export async function createTestRedis(): Promise<TestRedis> {
  if (!testRedisUrl) throw new Error('TEST_REDIS_URL is not set');
  const prefix = `parley-test-${randomBytes(4).toString('hex')}:`;
  const client = new Redis(testRedisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  return {
    url: testRedisUrl,
    prefix,
    client,
    async dispose() {
      try {
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await client.del(...keys);
        } while (cursor !== '0');
      } finally {
        client.disconnect();
      }
    },
  };
}
