import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { ParleyError } from '../errors/index.js';
import type { ConnectionBuckets } from '../http/connection-rate-limit.js';

/**
 * Whose budget a voice request spends: a signed-in user's own, shared by all their
 * addresses; in open mode, where user ids are taken on trust, the client address's.
 */
export function voiceBudgetKey(principal: Principal, clientAddress: string): string {
  if (principal.kind === 'user') return `user:${principal.userId}`;
  if (principal.kind === 'operator') return 'operator';
  return `address:${clientAddress}`;
}

/**
 * Spends one of RATE_LIMIT_VOICE_PER_MINUTE for a request about to call a speech service
 * (checked input only: a refused upload costs nothing upstream). Buckets that cannot be reached (Redis down) let the request through, as the
 * connection limit does.
 */
export function createVoiceRateLimit(perMinute: number, buckets: ConnectionBuckets): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if (perMinute === 0 || request.principal === null) return;
    let wait: number;
    try {
      wait = await buckets.take(voiceBudgetKey(request.principal, request.ip));
    } catch (error) {
      request.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'voice rate limit unavailable; request let through');
      return;
    }
    if (wait > 0) throw new ParleyError('rate_limited', `More than ${perMinute} voice requests a minute; retry in ${wait} s.`, { retryAfterSeconds: wait });
  };
}
