import { isIP } from 'node:net';
import { z } from 'zod';
import { booleanText, commaList, integer, optionalText } from '../setting-values.js';

const optionalList = optionalText.transform((value) => {
  const entries = value === undefined ? [] : commaList(value);
  return entries.length === 0 ? undefined : entries;
});

/** `https://app.example.com` in any spelling becomes its canonical origin; `*` allows every origin. */
const originList = optionalText.transform((value, context) => {
  if (value === undefined) return undefined;
  const origins: string[] = [];
  for (const entry of commaList(value)) {
    if (entry === '*') {
      origins.push('*');
      continue;
    }
    const origin = URL.canParse(entry) ? new URL(entry).origin : 'null';
    if (origin === 'null') {
      context.addIssue({ code: 'custom', message: `"${entry}" is not an origin like https://app.example.com` });
      return z.NEVER;
    }
    origins.push(origin);
  }
  return origins;
});

/** proxy-addr's names for address ranges, which Fastify's trustProxy accepts beside addresses. */
const proxyRangeNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (proxyRangeNames.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * Fastify's `trustProxy`: `true`/`false`, a hop count, or the proxies' addresses and ranges
 * (comma-separated, CIDR and proxy-addr's names allowed).
 */
const trustProxy = optionalText.transform((value, context): boolean | number | string[] => {
  if (value === undefined) return false;
  const lowered = value.toLowerCase();
  if (['true', 'yes', 'on'].includes(lowered)) return true;
  if (['false', 'no', 'off'].includes(lowered)) return false;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = commaList(value);
  const wrong = entries.find((entry) => !isProxyAddress(entry));
  if (wrong !== undefined || entries.length === 0) {
    context.addIssue({
      code: 'custom',
      message: `"${wrong ?? value}" is not true, false, a hop count, an address, a CIDR range or loopback/linklocal/uniquelocal`,
    });
    return z.NEVER;
  }
  return entries;
});

/** The settings for users and access (CONTRACT.md "Users and access"), spread into config.ts's schema. */
export const authSettingsShape = {
  /** HS256 tokens are checked with this secret (a Supabase project's JWT secret). */
  AUTH_JWT_SECRET: optionalText.pipe(
    z.string().min(32, 'must be at least 32 characters: HS256 needs a 256-bit secret').optional(),
  ),
  /** RS256/ES256/PS256/EdDSA tokens are checked against this key set, e.g. Supabase's /auth/v1/.well-known/jwks.json. */
  AUTH_JWKS_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .optional(),
  ),
  /** When set, a token's `iss` must be one of these (comma-separated). */
  AUTH_JWT_ISSUER: optionalList,
  /** When set, a token's `aud` must name one of these (comma-separated), e.g. `authenticated` for Supabase. */
  AUTH_JWT_AUDIENCE: optionalList,
  /** The operator's token: sees and may do everything. */
  API_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** With no auth setting, serve clients beyond the loopback interface too. */
  ALLOW_OPEN_ACCESS: booleanText(false),
  TRUST_PROXY: trustProxy,
  /** Browser origins allowed besides the server's own (comma-separated); CORS_ORIGIN is the older name. */
  ALLOWED_ORIGINS: originList,
  CORS_ORIGIN: originList,
  /** Model tokens a user may spend per UTC day; 0: no quota. */
  QUOTA_TOKENS_PER_DAY: integer(0, 0),
  /** Seconds of clock difference tolerated on `exp` and `nbf`. */
  AUTH_CLOCK_SKEW_S: integer(30, 0, 600),
};

export const authSettingsSchema = z.object(authSettingsShape);

export type AuthSettings = z.infer<typeof authSettingsSchema>;

/** ALLOWED_ORIGINS when set, else its older name CORS_ORIGIN, else none. */
export function allowedOriginsOf(settings: Pick<AuthSettings, 'ALLOWED_ORIGINS' | 'CORS_ORIGIN'>): string[] {
  return settings.ALLOWED_ORIGINS ?? settings.CORS_ORIGIN ?? [];
}

/** Tokens are required as soon as any way to check one is configured; otherwise the open mode. */
export function isAuthConfigured(settings: Pick<AuthSettings, 'AUTH_JWT_SECRET' | 'AUTH_JWKS_URL' | 'API_TOKEN'>): boolean {
  return settings.AUTH_JWT_SECRET !== undefined || settings.AUTH_JWKS_URL !== undefined || settings.API_TOKEN !== undefined;
}
