import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { ParleyError } from '../errors/index.js';

/** The Redis the instances share, with REDIS_KEY_PREFIX. */
export interface SharedRedis {
  redis: Redis;
  prefix: string;
}

/**
 * @fastify/rate-limit's options for RATE_LIMIT_HTTP_PER_MINUTE, keyed by request.ip (which
 * follows TRUST_PROXY: clients behind one proxy are not one client). With `shared`, every
 * instance counts in the one Redis, so the limit is per address across them, not per
 * instance; if Redis fails, requests are let through (skipOnError) rather than all refused:
 * the limit returns with Redis, and the client's own error events report the outage.
 */
export function httpRateLimitOptions(perMinute: number, shared?: SharedRedis): RateLimitPluginOptions {
  return {
    max: perMinute,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new ParleyError('rate_limited', `More than ${context.max} requests a minute from this address; retry in ${seconds} s.`, {
        retryAfterSeconds: seconds,
      });
    },
    ...(shared === undefined ? {} : { redis: shared.redis, nameSpace: `${shared.prefix}http-rate:`, skipOnError: true }),
  };
}
