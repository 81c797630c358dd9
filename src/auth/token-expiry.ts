import type { Principal } from './principal.js';

/**
 * Milliseconds until the principal's token expires (0 when it already has), or undefined
 * when it never does (API_TOKEN, open mode). A socket uses it to close after the turn in
 * progress once the token it was opened with runs out.
 */
export function millisecondsUntilExpiry(principal: Principal, now: number = Date.now()): number | undefined {
  if (principal.kind === 'open' || principal.expiresAt === undefined) return undefined;
  return Math.max(0, principal.expiresAt - now);
}
