import { ParleyError } from '../errors/index.js';
import type { AuthSettings } from './auth-settings.js';
import { createApiTokenMatcher } from './match-api-token.js';
import type { Principal } from './principal.js';
import { createJwtVerifier, defaultKeySetFetching, type KeySetFetching } from './verify-jwt.js';

export interface TokenVerifier {
  /** The operator for API_TOKEN, else the user or operator a JWT names; rejects with ParleyError `unauthorized`. */
  verify(token: string): Promise<Principal>;
  /** Whether the token is API_TOKEN, in constant time (the legacy `?token=` carries nothing else). */
  isApiToken(token: string): boolean;
}

export type VerifierSettings = Pick<
  AuthSettings,
  'AUTH_JWT_SECRET' | 'AUTH_JWKS_URL' | 'AUTH_JWT_ISSUER' | 'AUTH_JWT_AUDIENCE' | 'AUTH_CLOCK_SKEW_S' | 'API_TOKEN'
>;

/** One per server: it holds the key set's cache, which every request and socket shares. */
export function createTokenVerifier(settings: VerifierSettings, fetching: KeySetFetching = defaultKeySetFetching): TokenVerifier {
  const isApiToken = createApiTokenMatcher(settings.API_TOKEN);
  const verifyJwt = createJwtVerifier(settings, fetching);
  return {
    isApiToken,
    async verify(token) {
      if (isApiToken(token)) return { kind: 'operator', via: 'api_token' };
      if (verifyJwt === undefined) {
        throw new ParleyError(
          'unauthorized',
          'The token is not the API token, and this server accepts no user tokens (neither AUTH_JWT_SECRET nor AUTH_JWKS_URL is set).',
        );
      }
      return verifyJwt(token);
    },
  };
}
