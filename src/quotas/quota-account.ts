import { isLoopbackAddress } from '../net/is-loopback-address.js';
import type { Principal } from '../auth/principal.js';

/**
 * Whose quotas a principal's messages count against, or null for none. A user: their id, on
 * every session and instance. Operators: none. The open mode serves this machine, which is
 * not counted; with ALLOW_OPEN_ACCESS it serves anyone, and then each client address is
 * counted as one account, since nothing else names a client.
 */
export function quotaAccountOf(principal: Principal, clientAddress: string): string | null {
  switch (principal.kind) {
    case 'user':
      return principal.userId;
    case 'operator':
      return null;
    case 'open':
      return isLoopbackAddress(clientAddress) ? null : `address:${clientAddress}`;
  }
}
