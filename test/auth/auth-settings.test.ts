import { describe, expect, it } from 'vitest';
import { allowedOriginsOf, authSettingsSchema, isAuthConfigured } from '../../src/auth/auth-settings.js';

const parse = (environment: Record<string, string>) => authSettingsSchema.parse(environment);
const problems = (environment: Record<string, string>) => {
  const result = authSettingsSchema.safeParse(environment);
  return result.success ? [] : result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
};

describe('auth settings', () => {
  it('default to the open mode on loopback, no quota, and 30 s of clock skew', () => {
    const settings = parse({});
    expect(settings).toStrictEqual({ ALLOW_OPEN_ACCESS: false, TRUST_PROXY: false, QUOTA_TOKENS_PER_DAY: 0, AUTH_CLOCK_SKEW_S: 30 });
    expect(isAuthConfigured(settings)).toBe(false);
  });

  it('turn auth on with any one of the secret, the key set URL or API_TOKEN', () => {
    expect(isAuthConfigured(parse({ AUTH_JWT_SECRET: 'x'.repeat(32) }))).toBe(true);
    expect(isAuthConfigured(parse({ AUTH_JWKS_URL: 'https://abc.supabase.co/auth/v1/.well-known/jwks.json' }))).toBe(true);
    expect(isAuthConfigured(parse({ API_TOKEN: 'x'.repeat(16) }))).toBe(true);
    expect(isAuthConfigured(parse({ AUTH_JWT_SECRET: '  ', API_TOKEN: '' }))).toBe(false);
  });

  it('refuse a short secret or API token and a key set URL that is not http(s), saying what is needed', () => {
    expect(problems({ AUTH_JWT_SECRET: 'short', API_TOKEN: 'short', AUTH_JWKS_URL: 'ftp://keys.example/jwks.json' })).toStrictEqual([
      'AUTH_JWT_SECRET: must be at least 32 characters: HS256 needs a 256-bit secret',
      'AUTH_JWKS_URL: must be an http:// or https:// URL',
      'API_TOKEN: must be at least 16 characters',
    ]);
  });

  it('read issuers and audiences as comma-separated lists', () => {
    expect(parse({ AUTH_JWT_ISSUER: 'https://a.example/auth/v1', AUTH_JWT_AUDIENCE: 'authenticated, parley' })).toMatchObject({
      AUTH_JWT_ISSUER: ['https://a.example/auth/v1'],
      AUTH_JWT_AUDIENCE: ['authenticated', 'parley'],
    });
  });

  it('read TRUST_PROXY as Fastify takes it: a boolean, a hop count, or addresses and ranges', () => {
    expect(parse({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(parse({ TRUST_PROXY: 'off' }).TRUST_PROXY).toBe(false);
    expect(parse({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parse({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, ::1, fd00::/8, loopback' }).TRUST_PROXY).toStrictEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    expect(problems({ TRUST_PROXY: '10.0.0.0/33' })).toHaveLength(1);
    expect(problems({ TRUST_PROXY: 'proxy.internal' })[0]).toMatch(/"proxy.internal" is not true, false, a hop count/);
  });

  it('read ALLOWED_ORIGINS as canonical origins, with CORS_ORIGIN as the older name', () => {
    expect(allowedOriginsOf(parse({ ALLOWED_ORIGINS: 'https://App.Example.com:443, http://localhost:5173' }))).toStrictEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(allowedOriginsOf(parse({ CORS_ORIGIN: 'https://old.example' }))).toStrictEqual(['https://old.example']);
    expect(allowedOriginsOf(parse({ ALLOWED_ORIGINS: 'https://new.example', CORS_ORIGIN: 'https://old.example' }))).toStrictEqual([
      'https://new.example',
    ]);
    expect(allowedOriginsOf(parse({ ALLOWED_ORIGINS: '*' }))).toStrictEqual(['*']);
    expect(problems({ ALLOWED_ORIGINS: 'app.example.com' })).toStrictEqual([
      'ALLOWED_ORIGINS: "app.example.com" is not an origin like https://app.example.com',
    ]);
  });

  it('read ALLOW_OPEN_ACCESS, the quota and the clock skew', () => {
    expect(parse({ ALLOW_OPEN_ACCESS: 'yes', QUOTA_TOKENS_PER_DAY: '200000', AUTH_CLOCK_SKEW_S: '5' })).toMatchObject({
      ALLOW_OPEN_ACCESS: true,
      QUOTA_TOKENS_PER_DAY: 200_000,
      AUTH_CLOCK_SKEW_S: 5,
    });
    expect(problems({ ALLOW_OPEN_ACCESS: 'maybe' })).toHaveLength(1);
    expect(problems({ QUOTA_TOKENS_PER_DAY: '-1' })).toHaveLength(1);
  });
});
