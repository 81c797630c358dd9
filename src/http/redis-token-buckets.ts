import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';

/**
 * token-buckets.ts's buckets in one step on the Redis, on the Redis's clock so that
 * instances whose clocks differ still share one bucket. A bucket lives in a hash (tokens,
 * at) that expires once it would have filled up again: a full bucket is the same as none.
 * ARGV[1]: the capacity, also the refill per minute. Answers 0, or the seconds to wait.
 */
const takeScript = luaScript(`
local capacity = tonumber(ARGV[1])
local refillPerMs = capacity / 60000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = capacity
if stored[1] then
  tokens = math.min(capacity, tonumber(stored[1]) + math.max(0, now - tonumber(stored[2])) * refillPerMs)
end
local wait = 0
if tokens < 1 then
  wait = math.max(1, math.ceil((1 - tokens) / refillPerMs / 1000))
else
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((capacity - tokens) / refillPerMs)))
return wait
`);

/**
 * The WebSocket-upgrade buckets shared by every instance, one per client address under
 * `prefix` (REDIS_KEY_PREFIX) and `name`, for connection-rate-limit.ts (and the voice routes' budget). A failing Redis rejects; the
 * hook lets the upgrade through.
 */
export function createRedisTokenBuckets(redis: Redis, prefix: string, capacity: number, name = 'connections'): { take(key: string): Promise<number> } {
  return {
    async take(key) {
      return Number(await takeScript(redis, [`${prefix}${name}:${key}`], [capacity]));
    },
  };
}
