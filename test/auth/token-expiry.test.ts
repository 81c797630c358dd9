import { describe, expect, it } from 'vitest';
import { millisecondsUntilExpiry } from '../../src/auth/token-expiry.js';

describe('millisecondsUntilExpiry', () => {
  const now = 1_800_000_000_000;

  it("counts down to the token's expiry, and reports 0 once it is past", () => {
    expect(millisecondsUntilExpiry({ kind: 'user', userId: 'a', expiresAt: now + 90_000 }, now)).toBe(90_000);
    expect(millisecondsUntilExpiry({ kind: 'operator', via: 'service_role', expiresAt: now - 5 }, now)).toBe(0);
  });

  it('has no expiry for API_TOKEN and the open mode', () => {
    expect(millisecondsUntilExpiry({ kind: 'operator', via: 'api_token' }, now)).toBeUndefined();
    expect(millisecondsUntilExpiry({ kind: 'open', userId: null }, now)).toBeUndefined();
  });
});
