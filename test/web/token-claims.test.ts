import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { readTokenClaims, signedInName, tokenExpiresAt } from '../../web/src/auth/token-claims.js';

const secret = new TextEncoder().encode('a-secret-of-at-least-thirty-two-characters');

function signed(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret);
}

describe('what the page reads from a token', () => {
  it('reads the email, subject and expiry of a JWT without needing its secret', async () => {
    const token = await signed({ sub: 'user-1', email: 'ada@example.com', exp: 1_900_000_000, role: 'authenticated' });
    expect(readTokenClaims(token)).toStrictEqual({ sub: 'user-1', email: 'ada@example.com', exp: 1_900_000_000, role: 'authenticated' });
    expect(tokenExpiresAt(token)).toBe(1_900_000_000_000);
  });

  it('reads claims written in any language (the payload is UTF-8)', async () => {
    expect(readTokenClaims(await signed({ sub: 'u', email: 'zoë@exämple.com' }))?.email).toBe('zoë@exämple.com');
  });

  it('names the user by email, else by subject, and an opaque or service_role token as the operator', async () => {
    expect(signedInName(await signed({ sub: 'user-1', email: 'ada@example.com' }))).toBe('ada@example.com');
    expect(signedInName(await signed({ sub: 'user-1' }))).toBe('user-1');
    expect(signedInName(await signed({ role: 'service_role' }))).toBe('operator');
    expect(signedInName('browser-test-token-0123')).toBe('operator');
  });

  it('finds no expiry in an opaque token, nor in a JWT without exp', async () => {
    expect(tokenExpiresAt('browser-test-token-0123')).toBeNull();
    expect(tokenExpiresAt(await signed({ sub: 'user-1' }))).toBeNull();
  });

  it('takes three dot-separated parts that are not JSON for an opaque token', () => {
    expect(readTokenClaims('not.a.jwt')).toBeNull();
    expect(readTokenClaims(`x.${Buffer.from('[1,2]').toString('base64url')}.y`)).toBeNull();
    expect(readTokenClaims(`x.${Buffer.from('{"exp":"soon"}').toString('base64url')}.y`)).toStrictEqual({});
  });
});
