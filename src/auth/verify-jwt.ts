import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { ParleyError } from '../errors/index.js';
import type { AuthSettings } from './auth-settings.js';
import { explainTokenFailure } from './explain-token-failure.js';
import type { Principal } from './principal.js';

/** How the key set at AUTH_JWKS_URL is fetched and cached (jose's RemoteJWKSetOptions). */
export interface KeySetFetching {
  /** After a fetch, a token with an unknown `kid` waits this long before it may trigger another. */
  cooldownDuration: number;
  /** Keys are fetched again after this long even when every `kid` is known. */
  cacheMaxAge: number;
  timeoutDuration: number;
}

export const defaultKeySetFetching: KeySetFetching = { cooldownDuration: 30_000, cacheMaxAge: 600_000, timeoutDuration: 5_000 };

/**
 * The asymmetric algorithms a key set may sign with. Each is tied to its key type by jose, and
 * HS256 is never among them, so a token "signed" with the RSA public key as an HMAC secret
 * (algorithm confusion) finds no key, and `alg: none` is never allowed at all.
 */
const keySetAlgorithms = ['RS256', 'ES256', 'PS256', 'EdDSA', 'Ed25519'];

type JwtSettings = Pick<AuthSettings, 'AUTH_JWT_SECRET' | 'AUTH_JWKS_URL' | 'AUTH_JWT_ISSUER' | 'AUTH_JWT_AUDIENCE' | 'AUTH_CLOCK_SKEW_S'>;

/**
 * Checks users' JWTs: HS256 against AUTH_JWT_SECRET, the asymmetric ones against the key set
 * at AUTH_JWKS_URL; with both set, the token's `alg` says which. Undefined when neither is set.
 */
export function createJwtVerifier(
  settings: JwtSettings,
  fetching: KeySetFetching = defaultKeySetFetching,
): ((token: string) => Promise<Principal>) | undefined {
  const secret = settings.AUTH_JWT_SECRET === undefined ? undefined : new TextEncoder().encode(settings.AUTH_JWT_SECRET);
  const keySet = settings.AUTH_JWKS_URL === undefined ? undefined : createRemoteJWKSet(new URL(settings.AUTH_JWKS_URL), fetching);
  if (secret === undefined && keySet === undefined) return undefined;

  const keyFor: JWTVerifyGetKey = async (header, token) => {
    // The allow-list below has already refused any alg not configured, so HS256 means a secret is set.
    if (header.alg === 'HS256' && secret !== undefined) return secret;
    if (keySet === undefined) throw new errors.JOSEAlgNotAllowed('no key set');
    try {
      return await keySet(header, token);
    } catch (error) {
      const aboutTheToken =
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported;
      if (aboutTheToken) throw error;
      throw new ParleyError('unauthorized', 'The server could not load its signing keys (AUTH_JWKS_URL) to check the token; try again later.', {
        cause: error,
      });
    }
  };

  const options: JWTVerifyOptions = {
    algorithms: [...(secret === undefined ? [] : ['HS256']), ...(keySet === undefined ? [] : keySetAlgorithms)],
    clockTolerance: settings.AUTH_CLOCK_SKEW_S,
    requiredClaims: ['exp'],
    ...(settings.AUTH_JWT_ISSUER === undefined ? {} : { issuer: settings.AUTH_JWT_ISSUER }),
    ...(settings.AUTH_JWT_AUDIENCE === undefined ? {} : { audience: settings.AUTH_JWT_AUDIENCE }),
  };

  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = await verifyWithEachMatchingKey(token, keyFor, options);
    } catch (error) {
      throw explainTokenFailure(error);
    }
    return principalOf(payload);
  };
}

/**
 * A token without `kid` may match several keys of one type in the set; jose then hands them
 * over one by one, and the first whose signature verifies wins.
 */
async function verifyWithEachMatchingKey(token: string, keyFor: JWTVerifyGetKey, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, keyFor, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    for await (const key of error) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (attempt) {
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

function principalOf(payload: JWTPayload): Principal {
  // requiredClaims has made sure `exp` is there and jose that it is a number.
  const expiresAt = (payload.exp as number) * 1000;
  // Supabase's service_role key names no user (no `sub`): it acts for the project itself.
  if (payload.role === 'service_role') return { kind: 'operator', via: 'service_role', expiresAt };
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new ParleyError('unauthorized', 'The token names no user: its sub claim is missing or empty.');
  }
  return { kind: 'user', userId: payload.sub, expiresAt };
}
