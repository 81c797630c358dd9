/**
 * What the page reads from a JWT's payload. It does not verify the signature: the server
 * does that on every request; the page only needs to say who is signed in and when the
 * token runs out.
 */
export interface TokenClaims {
  sub?: string;
  email?: string;
  role?: string;
  /** Seconds since the epoch. */
  exp?: number;
}

/** The claims of a `header.payload.signature` token, or null for an opaque token (API_TOKEN). */
export function readTokenClaims(token: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(decodeBase64Url(parts[1]));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const record = payload as Record<string, unknown>;
  const claims: TokenClaims = {};
  if (typeof record.sub === 'string' && record.sub !== '') claims.sub = record.sub;
  if (typeof record.email === 'string' && record.email !== '') claims.email = record.email;
  if (typeof record.role === 'string') claims.role = record.role;
  if (typeof record.exp === 'number' && Number.isFinite(record.exp)) claims.exp = record.exp;
  return claims;
}

/** When the token expires, in milliseconds since the epoch; null when it does not say. */
export function tokenExpiresAt(token: string): number | null {
  const exp = readTokenClaims(token)?.exp;
  return exp === undefined ? null : exp * 1000;
}

/**
 * Who the token speaks for, in the words the page shows. An opaque token can only be the
 * operator's API_TOKEN (the server accepts no other), and `service_role` is an operator too.
 */
export function signedInName(token: string): string {
  const claims = readTokenClaims(token);
  if (claims === null || claims.role === 'service_role') return 'operator';
  return claims.email ?? claims.sub ?? 'a user without a name';
}

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
