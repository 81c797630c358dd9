import type { RedisOptions } from 'ioredis';

/**
 * For the client the usage counters and the rate limits run their commands on. A Redis that
 * is down must cost a request an error at once, never a wait: no offline queue (a command
 * sent while disconnected fails instead of waiting for a reconnect), one retry, and a
 * command timeout for a Redis that accepts connections but does not answer. Reconnecting
 * goes on in the background (ioredis's default backoff), so the limits come back with Redis.
 * No `keyPrefix`: the callers put REDIS_KEY_PREFIX in their keys, Lua scripts' keys too.
 */
export const redisCommandOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 2_000,
  connectTimeout: 5_000,
  // `connect()` is called by whoever builds the client, and awaited before serving.
  lazyConnect: true,
} as const satisfies RedisOptions;
