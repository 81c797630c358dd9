import { exportSPKI } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettingsSchema } from '../../src/auth/auth-settings.js';
import { createTokenVerifier, type TokenVerifier } from '../../src/auth/verify-token.js';
import { defaultKeySetFetching, type KeySetFetching } from '../../src/auth/verify-jwt.js';
import { ParleyError } from '../../src/errors/index.js';
import { startJwksServer, type JwksServer } from './support/jwks-server.js';
import {
  createSigningKey,
  nowSeconds,
  signWithKey,
  signWithSecret,
  unsignedToken,
  userClaims,
  type SigningKey,
} from './support/tokens.js';

const secret = 'a-supabase-style-jwt-secret-of-40-chars!';
const apiToken = 'operator-token-0123456789';

function verifierFor(environment: Record<string, string>, fetching: Partial<KeySetFetching> = {}): TokenVerifier {
  return createTokenVerifier(authSettingsSchema.parse(environment), { ...defaultKeySetFetching, ...fetching });
}

/** The refusal for a token, checked to be `unauthorized` and to never repeat the token or a piece of it. */
async function refusal(verifier: TokenVerifier, token: string): Promise<ParleyError> {
  const error = await verifier.verify(token).then(
    (principal) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(principal)}`);
    },
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ParleyError);
  const refused = error as ParleyError;
  expect(refused.code).toBe('unauthorized');
  expect(refused.message).not.toContain(token);
  for (const part of token.split('.').filter((piece) => piece.length >= 8)) expect(refused.message).not.toContain(part);
  return refused;
}

let rsaKey: SigningKey;
let ecKey: SigningKey;
let jwks: JwksServer;

beforeAll(async () => {
  rsaKey = await createSigningKey('RS256');
  ecKey = await createSigningKey('ES256');
  jwks = await startJwksServer([rsaKey.publicJwk, ecKey.publicJwk]);
});

afterAll(() => jwks.close());

describe('tokens signed with AUTH_JWT_SECRET (HS256)', () => {
  const verifier = verifierFor({ AUTH_JWT_SECRET: secret });

  it('accepts a valid token as the user named by its sub, expiring at its exp', async () => {
    const exp = nowSeconds() + 120;
    expect(await verifier.verify(await signWithSecret(secret, userClaims({ sub: 'user-a', exp })))).toStrictEqual({
      kind: 'user',
      userId: 'user-a',
      expiresAt: exp * 1000,
    });
  });

  it('accepts a Supabase user token when AUTH_JWT_AUDIENCE is authenticated', async () => {
    const supabase = verifierFor({ AUTH_JWT_SECRET: secret, AUTH_JWT_AUDIENCE: 'authenticated' });
    const token = await signWithSecret(
      secret,
      userClaims({
        sub: '4f1c2a9e-8d3b-4c55-9a0e-2b7d6e1f0a11',
        aud: 'authenticated',
        role: 'authenticated',
        iss: 'https://abcdefgh.supabase.co/auth/v1',
        email: 'someone@example.com',
        session_id: 'c0ffee00-0000-4000-8000-000000000000',
        is_anonymous: false,
      }),
    );
    expect(await supabase.verify(token)).toMatchObject({ kind: 'user', userId: '4f1c2a9e-8d3b-4c55-9a0e-2b7d6e1f0a11' });
  });

  it('makes a token whose role is service_role an operator, even without a sub', async () => {
    const token = await signWithSecret(secret, { iss: 'supabase', role: 'service_role', iat: nowSeconds(), exp: nowSeconds() + 60 });
    expect(await verifier.verify(token)).toMatchObject({ kind: 'operator', via: 'service_role' });
  });

  it('refuses an expired token, saying it has expired', async () => {
    const token = await signWithSecret(secret, userClaims({ iat: nowSeconds() - 600, exp: nowSeconds() - 120 }));
    expect((await refusal(verifier, token)).message).toMatch(/expired/);
  });

  it('refuses a token whose nbf is in the future, saying it is not valid yet', async () => {
    const token = await signWithSecret(secret, userClaims({ nbf: nowSeconds() + 120 }));
    expect((await refusal(verifier, token)).message).toMatch(/not valid yet/);
  });

  it('accepts a token expired or not yet valid by less than AUTH_CLOCK_SKEW_S, and refuses it with no skew', async () => {
    const justExpired = await signWithSecret(secret, userClaims({ exp: nowSeconds() - 10 }));
    const almostValid = await signWithSecret(secret, userClaims({ nbf: nowSeconds() + 10 }));
    expect(await verifier.verify(justExpired)).toMatchObject({ kind: 'user' });
    expect(await verifier.verify(almostValid)).toMatchObject({ kind: 'user' });
    const strict = verifierFor({ AUTH_JWT_SECRET: secret, AUTH_CLOCK_SKEW_S: '0' });
    await refusal(strict, justExpired);
    await refusal(strict, almostValid);
  });

  it('refuses a token signed with another secret, saying its signature does not verify', async () => {
    const token = await signWithSecret('another-secret-that-is-also-32-chars-long', userClaims());
    expect((await refusal(verifier, token)).message).toMatch(/signature does not verify/);
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const [header, , signature] = (await signWithSecret(secret, userClaims({ sub: 'user-a' }))).split('.');
    const forgedClaims = Buffer.from(JSON.stringify(userClaims({ sub: 'user-b' }))).toString('base64url');
    await refusal(verifier, `${header}.${forgedClaims}.${signature}`);
  });

  it('refuses an unsigned token (alg none)', async () => {
    expect((await refusal(verifier, unsignedToken())).message).toMatch(/algorithm/);
  });

  it('refuses a token with no exp, and one with no sub', async () => {
    const { exp: _exp, ...noExpiry } = userClaims();
    expect((await refusal(verifier, await signWithSecret(secret, noExpiry))).message).toMatch(/expiry/);
    const { sub: _sub, ...noSubject } = userClaims();
    expect((await refusal(verifier, await signWithSecret(secret, noSubject))).message).toMatch(/names no user/);
  });

  it('refuses a Supabase anon key: it names no user', async () => {
    const anonKey = await signWithSecret(secret, { iss: 'supabase', role: 'anon', iat: nowSeconds(), exp: nowSeconds() + 60 });
    expect((await refusal(verifier, anonKey)).message).toMatch(/names no user/);
  });

  it('refuses text that is not a JWT', async () => {
    expect((await refusal(verifier, 'not-a-jwt-at-all-but-long-enough')).message).toMatch(/not a well-formed/);
  });

  it('refuses a wrong issuer or audience when AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE are set, and accepts the right ones', async () => {
    const strict = verifierFor({ AUTH_JWT_SECRET: secret, AUTH_JWT_ISSUER: 'https://issuer.example', AUTH_JWT_AUDIENCE: 'parley,other' });
    const right = await signWithSecret(secret, userClaims({ iss: 'https://issuer.example', aud: 'parley' }));
    expect(await strict.verify(right)).toMatchObject({ kind: 'user', userId: 'user-a' });
    const wrongIssuer = await signWithSecret(secret, userClaims({ iss: 'https://elsewhere.example', aud: 'parley' }));
    expect((await refusal(strict, wrongIssuer)).message).toMatch(/AUTH_JWT_ISSUER/);
    const wrongAudience = await signWithSecret(secret, userClaims({ iss: 'https://issuer.example', aud: 'someone-else' }));
    expect((await refusal(strict, wrongAudience)).message).toMatch(/AUTH_JWT_AUDIENCE/);
    const noAudience = await signWithSecret(secret, userClaims({ iss: 'https://issuer.example' }));
    await refusal(strict, noAudience);
  });

  it('refuses an RS256 token: no key set is configured', async () => {
    await refusal(verifier, await signWithKey(rsaKey));
  });
});

describe('tokens checked against AUTH_JWKS_URL', () => {
  it('accepts valid RS256 and ES256 tokens, fetching the key set once for both', async () => {
    const before = jwks.requests;
    const verifier = verifierFor({ AUTH_JWKS_URL: jwks.url });
    expect(await verifier.verify(await signWithKey(rsaKey, userClaims({ sub: 'rsa-user' })))).toMatchObject({ kind: 'user', userId: 'rsa-user' });
    expect(await verifier.verify(await signWithKey(ecKey, userClaims({ sub: 'ec-user' })))).toMatchObject({ kind: 'user', userId: 'ec-user' });
    expect(jwks.requests - before).toBe(1);
  });

  it('refuses a token signed by a different key under a known kid', async () => {
    const impostor = await createSigningKey('ES256', ecKey.kid);
    const verifier = verifierFor({ AUTH_JWKS_URL: jwks.url });
    expect((await refusal(verifier, await signWithKey(impostor))).message).toMatch(/signature does not verify/);
  });

  it('refuses HS256 signed with the RSA public key as its secret (algorithm confusion)', async () => {
    const publicKeyPem = await exportSPKI(rsaKey.publicKey);
    const forged = await signWithSecret(new TextEncoder().encode(publicKeyPem), userClaims(), rsaKey.kid);
    expect((await refusal(verifierFor({ AUTH_JWKS_URL: jwks.url }), forged)).message).toMatch(/algorithm/);
    // With a secret configured as well, HS256 is allowed, but only with that secret.
    await refusal(verifierFor({ AUTH_JWKS_URL: jwks.url, AUTH_JWT_SECRET: secret }), forged);
  });

  it('refuses an unsigned token (alg none)', async () => {
    await refusal(verifierFor({ AUTH_JWKS_URL: jwks.url }), unsignedToken());
  });

  it('accepts both kinds when a secret and a key set are configured, telling them apart by alg', async () => {
    const verifier = verifierFor({ AUTH_JWKS_URL: jwks.url, AUTH_JWT_SECRET: secret });
    expect(await verifier.verify(await signWithSecret(secret, userClaims({ sub: 'hs-user' })))).toMatchObject({ userId: 'hs-user' });
    expect(await verifier.verify(await signWithKey(ecKey, userClaims({ sub: 'es-user' })))).toMatchObject({ userId: 'es-user' });
  });

  it('finds the right key for a token without kid when several keys of its type are served', async () => {
    // EC keys: generating RSA keys would make this test slow on a busy machine.
    const first = await createSigningKey('ES256');
    const second = await createSigningKey('ES256');
    const server = await startJwksServer([
      { ...first.publicJwk, kid: undefined },
      { ...second.publicJwk, kid: undefined },
    ]);
    try {
      const verifier = verifierFor({ AUTH_JWKS_URL: server.url });
      const token = await signWithKey(second, userClaims({ sub: 'second-key-user' }), { kid: undefined });
      expect(await verifier.verify(token)).toMatchObject({ userId: 'second-key-user' });
      const stranger = await createSigningKey('ES256');
      await refusal(verifier, await signWithKey(stranger, userClaims(), { kid: undefined }));
    } finally {
      await server.close();
    }
  });

  it('fetches the key set again for an unknown kid once the cooldown has passed, and accepts the rotated key', async () => {
    const server = await startJwksServer([rsaKey.publicJwk]);
    try {
      const verifier = verifierFor({ AUTH_JWKS_URL: server.url }, { cooldownDuration: 300 });
      await verifier.verify(await signWithKey(rsaKey));
      expect(server.requests).toBe(1);

      const rotated = await createSigningKey('ES256');
      server.serve([rsaKey.publicJwk, rotated.publicJwk]);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await verifier.verify(await signWithKey(rotated, userClaims({ sub: 'after-rotation' })))).toMatchObject({
        userId: 'after-rotation',
      });
      expect(server.requests).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('does not hammer the key set server with a flood of unknown kids', async () => {
    const server = await startJwksServer([rsaKey.publicJwk]);
    try {
      // Signed beforehand, so the signing cannot itself outlast the cooldown.
      const stranger = await createSigningKey('ES256');
      const unknownKids = await Promise.all(
        Array.from({ length: 50 }, (_, index) => signWithKey(stranger, userClaims(), { kid: `unknown-${index}` })),
      );
      const verifier = verifierFor({ AUTH_JWKS_URL: server.url }, { cooldownDuration: 1_000 });
      const flood = () => Promise.all(unknownKids.map(async (token) => (await refusal(verifier, token)).message));

      await verifier.verify(await signWithKey(rsaKey));
      // Within the cooldown after a fetch: no fetch at all.
      const during = await flood();
      expect(server.requests).toBe(1);
      expect(new Set(during)).toStrictEqual(new Set(["No key in the server's key set (AUTH_JWKS_URL) matches the token's key id (kid)."]));

      // After it: the whole flood shares one fetch.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await flood();
      expect(server.requests).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('refuses tokens with words about the key set when the key set cannot be fetched', async () => {
    const server = await startJwksServer([]);
    const url = server.url;
    await server.close();
    const verifier = verifierFor({ AUTH_JWKS_URL: url }, { timeoutDuration: 1000 });
    expect((await refusal(verifier, await signWithKey(rsaKey))).message).toMatch(/could not load its signing keys/);
  });
});

describe('API_TOKEN', () => {
  const verifier = verifierFor({ API_TOKEN: apiToken, AUTH_JWT_SECRET: secret });

  it('makes the right token an operator that never expires', async () => {
    expect(await verifier.verify(apiToken)).toStrictEqual({ kind: 'operator', via: 'api_token' });
    expect(verifier.isApiToken(apiToken)).toBe(true);
  });

  it('refuses a wrong token of the same length and of another length, without echoing it', async () => {
    const sameLength = apiToken.replace(/9$/, '8');
    expect(sameLength).toHaveLength(apiToken.length);
    await refusal(verifier, sameLength);
    await refusal(verifier, `${apiToken}-and-more`);
    await refusal(verifier, apiToken.slice(0, 10));
    expect([sameLength, `${apiToken}-and-more`, apiToken.slice(0, 10)].map((token) => verifier.isApiToken(token))).toStrictEqual([
      false,
      false,
      false,
    ]);
  });

  it('says no user tokens are accepted when only API_TOKEN is set', async () => {
    const operatorOnly = verifierFor({ API_TOKEN: apiToken });
    expect((await refusal(operatorOnly, await signWithSecret(secret))).message).toMatch(/accepts no user tokens/);
  });
});
