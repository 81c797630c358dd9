import { randomUUID } from 'node:crypto';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  alg: 'RS256' | 'ES256' | 'PS256' | 'EdDSA';
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public half as its JWKS entry. */
  publicJwk: JWK;
}

export async function createSigningKey(alg: SigningKey['alg'], kid: string = randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicKey, publicJwk };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A user's claims as an identity provider issues them: a subject, issued now, valid five minutes. */
export function userClaims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: 'user-a', iat: nowSeconds(), exp: nowSeconds() + 300, ...overrides };
}

export function signWithKey(key: SigningKey, claims: JWTPayload = userClaims(), header: { kid?: string | undefined } = { kid: key.kid }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, ...(header.kid === undefined ? {} : { kid: header.kid }) }).sign(key.privateKey);
}

export function signWithSecret(secret: string | Uint8Array, claims: JWTPayload = userClaims(), kid?: string): Promise<string> {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...(kid === undefined ? {} : { kid }) }).sign(bytes);
}

/** An unsecured JWT, written by hand as an attacker would: header {"alg":"none"} and no signature. */
export function unsignedToken(claims: JWTPayload = userClaims()): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

export { nowSeconds };
