import { errors } from 'jose';
import { ParleyError } from '../errors/index.js';

const unauthorized = (message: string) => new ParleyError('unauthorized', message);

const claimWords: Record<string, string> = {
  nbf: 'The token is not valid yet: its nbf (not before) is in the future.',
  iss: "The token's issuer (iss) is not one this server accepts (AUTH_JWT_ISSUER).",
  aud: "The token's audience (aud) is not one this server accepts (AUTH_JWT_AUDIENCE).",
  exp: 'The token has no valid expiry (exp); this server accepts only tokens that expire.',
  iat: "The token's issued-at time (iat) is not valid.",
};

/**
 * Turns a failed verification into an `unauthorized` error a person can act on. The words
 * come from this table only: never the token, and never jose's error, whose `cause` carries
 * the token's claims.
 */
export function explainTokenFailure(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  if (error instanceof errors.JWTExpired) return unauthorized('The token has expired; sign in again for a new one.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return unauthorized(claimWords[error.claim] ?? 'A claim in the token is not valid.');
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return unauthorized("The token's signing algorithm (alg) is not accepted by this server.");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return unauthorized("The token's signature does not verify.");
  if (error instanceof errors.JWKSNoMatchingKey) {
    return unauthorized("No key in the server's key set (AUTH_JWKS_URL) matches the token's key id (kid).");
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return unauthorized('The token is not a well-formed signed JWT.');
  }
  return unauthorized('The token could not be verified.');
}
