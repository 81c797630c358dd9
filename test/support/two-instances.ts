import type { BuildOptions } from '../../src/app.js';
import { serverDatabaseVariants } from './server-databases.js';
import { startServer, type RunningServer } from './start-server.js';
import { createTestRedis, type TestRedis } from './test-redis.js';

/** Two in-process instances sharing a fresh PostgreSQL database and a Redis key prefix. */
export interface TwoInstances {
  a: RunningServer;
  b: RunningServer;
  /** The shared Redis, to look at the keys the instances leave. */
  redis: TestRedis;
  close(): Promise<void>;
}

export async function startTwoInstances(options: BuildOptions = {}): Promise<TwoInstances> {
  const postgres = serverDatabaseVariants.find((variant) => variant.kind === 'postgres');
  if (!postgres) throw new Error('TEST_DATABASE_URL is needed');
  const redis = await createTestRedis();
  const database = await postgres.create();
  const settings = { ...database.settings, REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix, FINALIZE_GRACE_MS: '60000' };
  const a = await startServer(settings, options);
  const b = await startServer(settings, options);
  return {
    a,
    b,
    redis,
    close: async () => {
      await Promise.allSettled([a.close(), b.close()]);
      await database.dispose();
      await redis.dispose();
    },
  };
}
