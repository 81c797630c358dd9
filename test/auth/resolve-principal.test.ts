import { describe, expect, it } from 'vitest';
import { authSettingsSchema } from '../../src/auth/auth-settings.js';
import type { Principal } from '../../src/auth/principal.js';
import { resolvePrincipal, type PrincipalRequest } from '../../src/auth/resolve-principal.js';
import type { PresentedToken } from '../../src/auth/token-from-request.js';
import { createTokenVerifier } from '../../src/auth/verify-token.js';
import { ParleyError } from '../../src/errors/index.js';
import { signWithSecret, userClaims } from './support/tokens.js';

const secret = 'a-supabase-style-jwt-secret-of-40-chars!';
const apiToken = 'operator-token-0123456789';

function ask(environment: Record<string, string>, request: Omit<PrincipalRequest, 'settings' | 'verifier'>): Promise<Principal> {
  const settings = authSettingsSchema.parse(environment);
  return resolvePrincipal({ ...request, settings, verifier: createTokenVerifier(settings) });
}

async function refusalOf(promise: Promise<Principal>): Promise<ParleyError> {
  const outcome = await promise.then(
    (principal) => new Error(`expected a refusal, got ${JSON.stringify(principal)}`),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ParleyError);
  return outcome as ParleyError;
}

const bearer = (value: string): PresentedToken => ({ value, source: 'authorization' });

describe('the open mode (no auth setting at all)', () => {
  it.each(['127.0.0.1', '127.12.0.3', '::1', '::ffff:127.0.0.1'])('serves a client at %s as the user it names', async (clientAddress) => {
    expect(await ask({}, { token: undefined, clientAddress, requestedUserId: 'alice' })).toStrictEqual({
      kind: 'open',
      userId: 'alice',
    });
  });

  it('serves a loopback client that names no user as nobody in particular', async () => {
    expect(await ask({}, { token: undefined, clientAddress: '127.0.0.1' })).toStrictEqual({ kind: 'open', userId: null });
  });

  it.each(['10.0.0.5', '::ffff:10.0.0.5', '192.168.1.20', 'fe80::1'])(
    'refuses a client at %s with words naming ALLOW_OPEN_ACCESS and the auth settings',
    async (clientAddress) => {
      const refusal = await refusalOf(ask({}, { token: undefined, clientAddress }));
      expect(refusal.code).toBe('forbidden');
      expect(refusal.message).toMatch(/ALLOW_OPEN_ACCESS=true/);
      expect(refusal.message).toMatch(/AUTH_JWT_SECRET, AUTH_JWKS_URL or API_TOKEN/);
    },
  );

  it('refuses a client whose address is unknown', async () => {
    expect((await refusalOf(ask({}, { token: undefined, clientAddress: undefined }))).code).toBe('forbidden');
  });

  it('serves every client with ALLOW_OPEN_ACCESS=true', async () => {
    expect(
      await ask({ ALLOW_OPEN_ACCESS: 'true' }, { token: undefined, clientAddress: '10.0.0.5', requestedUserId: 'bob' }),
    ).toStrictEqual({ kind: 'open', userId: 'bob' });
  });

  it('ignores a token: there is nothing to check it against', async () => {
    expect(await ask({}, { token: bearer('anything-at-all-here'), clientAddress: '127.0.0.1' })).toMatchObject({ kind: 'open' });
  });
});

describe('with auth on', () => {
  it('asks for a token, from loopback clients too, and ALLOW_OPEN_ACCESS does not turn it off', async () => {
    const environments: Array<Record<string, string>> = [
      { API_TOKEN: apiToken },
      { AUTH_JWT_SECRET: secret },
      { AUTH_JWT_SECRET: secret, ALLOW_OPEN_ACCESS: 'true' },
    ];
    for (const environment of environments) {
      const refusal = await refusalOf(ask(environment, { token: undefined, clientAddress: '127.0.0.1' }));
      expect(refusal.code).toBe('unauthorized');
      expect(refusal.message).toMatch(/Authorization: Bearer/);
    }
  });

  it("takes the user from the token's sub and ignores the user_id a client asks for", async () => {
    const token = await signWithSecret(secret, userClaims({ sub: 'user-a' }));
    expect(
      await ask({ AUTH_JWT_SECRET: secret }, { token: { value: token, source: 'access_token' }, clientAddress: '10.0.0.5', requestedUserId: 'user-b' }),
    ).toMatchObject({ kind: 'user', userId: 'user-a' });
  });

  it('accepts API_TOKEN in the older ?token= but refuses a user token there, without repeating it', async () => {
    const environment = { AUTH_JWT_SECRET: secret, API_TOKEN: apiToken };
    expect(await ask(environment, { token: { value: apiToken, source: 'token' }, clientAddress: '10.0.0.5' })).toStrictEqual({
      kind: 'operator',
      via: 'api_token',
    });
    const userToken = await signWithSecret(secret, userClaims());
    const refusal = await refusalOf(ask(environment, { token: { value: userToken, source: 'token' }, clientAddress: '10.0.0.5' }));
    expect(refusal.code).toBe('unauthorized');
    expect(refusal.message).toMatch(/access_token/);
    expect(refusal.message).not.toContain(userToken);
  });
});
