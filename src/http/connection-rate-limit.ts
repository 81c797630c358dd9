import type { FastifyRequest } from 'fastify';
import { ParleyError } from '../errors/index.js';
import { TokenBuckets } from './token-buckets.js';

/**
 * An onRequest hook limiting WebSocket upgrades per client address (request.ip, which follows
 * TRUST_PROXY): `perMinute` at once, then `perMinute` a minute. It runs before the token is
 * checked, so a flood of upgrades costs a map lookup each. Upgrades are not counted by the HTTP
 * limit, whose 600 a minute a reconnect storm after a deploy would exhaust in one go.
 */
export function createConnectionRateLimit(perMinute: number): (request: FastifyRequest) => Promise<void> {
  const buckets = new TokenBuckets(perMinute);
  return async (request) => {
    if (perMinute === 0 || !request.ws) return;
    const wait = buckets.take(request.ip);
    if (wait === 0) return;
    throw new ParleyError('rate_limited', `Too many connections from this address; retry in ${wait} s.`, { retryAfterSeconds: wait });
  };
}
