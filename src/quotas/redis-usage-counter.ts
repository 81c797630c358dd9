import type { Redis } from 'ioredis';
import { ParleyError } from '../errors/index.js';
import { luaScript } from '../redis/lua-script.js';
import { keptDaysMs } from './quota-windows.js';
import type { UsageCounter, UsageKind, UsageWindow } from './usage-counter.js';

/**
 * Adds ARGV[1] unless that would pass the ceiling ARGV[2] (empty: none), in one step on the
 * Redis, so two instances counting the same user never pass it together. The expiry is set
 * once, when the window's key is made: from then on, relative to the Redis's own clock.
 */
const addScript = luaScript(`
local amount = tonumber(ARGV[1])
local ceiling = tonumber(ARGV[2])
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if ceiling ~= nil and count + amount > ceiling then return false end
count = redis.call('INCRBY', KEYS[1], amount)
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return count
`);

/** How long a window's key outlives its making: a minute's messages past the minute, a day's tokens as long as the database keeps them. */
const keptMs: Record<UsageKind, number> = { messages: 2 * 60_000, model_tokens: keptDaysMs };

function unavailable(cause: unknown): ParleyError {
  return new ParleyError('storage_unavailable', 'The usage counters (Redis) did not answer; nothing was counted, retry the message.', { cause });
}

/**
 * The usage counters in Redis, one key per account, kind and window under `prefix`
 * (REDIS_KEY_PREFIX). A Redis that is down or slow answers `storage_unavailable` as soon as
 * the client gives up, which its options decide (redis-client-options.ts: no offline queue,
 * a command timeout); the client must have no `keyPrefix` of its own.
 */
export function createRedisUsageCounter(redis: Redis, prefix: string): UsageCounter {
  const keyOf = ({ account, kind, windowStart }: UsageWindow) => `${prefix}usage:${kind}:${windowStart.getTime()}:${account}`;
  return {
    async add(window, amount, ceiling) {
      if (ceiling !== undefined && amount > ceiling) return null;
      const count = await addScript(redis, [keyOf(window)], [amount, ceiling ?? '', keptMs[window.kind]]).catch((error: unknown) => {
        throw unavailable(error);
      });
      return count === null ? null : Number(count);
    },

    async read(window) {
      const count = await redis.get(keyOf(window)).catch((error: unknown) => {
        throw unavailable(error);
      });
      return count === null ? 0 : Number(count);
    },

    // Nothing to do: every window's key expires by itself once it is over (keptMs), and
    // finding an account's older keys would take a scan of the whole Redis.
    async forget() {},
  };
}
