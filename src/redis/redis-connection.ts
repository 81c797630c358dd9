import { Redis } from 'ioredis';
import { ParleyError } from '../errors/index.js';
import { redisCommandOptions } from './redis-client-options.js';

/**
 * A connection to REDIS_URL (redis-client-options.ts: commands fail at once while Redis is
 * away; a frame published late is worse than one not published, since the turn's stream and
 * the owner's memory repair the gap). The connection itself retries for ever, at most 2 s apart.
 */
export function createRedisConnection(url: string, name: string): Redis {
  const redis = new Redis(url, {
    ...redisCommandOptions,
    connectionName: name,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
    // Keeps the subscriber's channels across a reconnect (ioredis re-subscribes).
    autoResubscribe: true,
  });
  // Each failed reconnect emits an error; the cluster logs the connection's state changes instead.
  redis.on('error', () => undefined);
  return redis;
}

/** Connects at start, bounded: a Redis that never answers stops the start with a clear line. */
export async function connectRedis(redis: Redis, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ParleyError('storage_unavailable', `Redis did not answer within ${timeoutMs} ms (REDIS_URL).`)), timeoutMs);
  });
  try {
    await Promise.race([redis.connect(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
