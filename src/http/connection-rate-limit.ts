import type { FastifyRequest } from 'fastify';
import { ParleyError } from '../errors/index.js';
import { TokenBuckets } from './token-buckets.js';

/** Where the buckets are kept: this process's memory (TokenBuckets), or Redis for every instance (redis-token-buckets.ts). */
export interface ConnectionBuckets {
  /** 0 when a token was taken, else whole seconds (at least 1) until one will be there. */
  take(key: string): number | Promise<number>;
}

/** While the buckets cannot be reached, one warning a minute, not one per upgrade. */
const warningIntervalMs = 60_000;

/**
 * An onRequest hook limiting WebSocket upgrades per client address (request.ip, which follows
 * TRUST_PROXY): `perMinute` at once, then `perMinute` a minute. It runs before the token is
 * checked, so a flood of upgrades costs a map lookup (or one Redis call) each. Upgrades are
 * not counted by the HTTP limit, whose 600 a minute a reconnect storm after a deploy would
 * exhaust in one go.
 */
export function createConnectionRateLimit(
  perMinute: number,
  buckets: ConnectionBuckets = new TokenBuckets(perMinute),
): (request: FastifyRequest) => Promise<void> {
  let warnedAt = -Infinity;
  return async (request) => {
    if (perMinute === 0 || !request.ws) return;
    let wait: number;
    try {
      wait = await buckets.take(request.ip);
    } catch (error) {
      // Fail open: with the shared buckets unreachable, refusing every upgrade would take the
      // whole service down with Redis; the limit returns with it. The log names the failure
      // only (no address, no key, no client options).
      if (Date.now() - warnedAt >= warningIntervalMs) {
        warnedAt = Date.now();
        request.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'connection rate limit unavailable; upgrades let through');
      }
      return;
    }
    if (wait === 0) return;
    throw new ParleyError('rate_limited', `Too many connections from this address; retry in ${wait} s.`, { retryAfterSeconds: wait });
  };
}
