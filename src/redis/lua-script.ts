import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type LuaScript = (redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>) => Promise<unknown>;

/**
 * A Lua script run atomically by its SHA (EVALSHA); when a Redis does not know it yet (first
 * use, or after a restart or failover emptied its script cache), it is sent whole once (EVAL).
 * The client must have no `keyPrefix`: the callers put REDIS_KEY_PREFIX in the keys themselves.
 */
export function luaScript(lua: string): LuaScript {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(lua, keys.length, ...keys, ...args);
    }
  };
}
