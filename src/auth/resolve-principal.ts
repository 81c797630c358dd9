import { ParleyError } from '../errors/index.js';
import { isAuthConfigured, type AuthSettings } from './auth-settings.js';
import { isLoopbackAddress } from '../net/is-loopback-address.js';
import type { Principal } from './principal.js';
import type { PresentedToken } from './token-from-request.js';
import type { TokenVerifier } from './verify-token.js';

export interface PrincipalRequest {
  /** From tokenFromRequest(). */
  token: PresentedToken | undefined;
  /** Fastify's `request.ip`, which already follows TRUST_PROXY to the forwarded client. */
  clientAddress: string | undefined;
  /**
   * The `user_id` query parameter. Only the open mode takes it as the principal's user; with
   * auth on it is ignored here (a user is their token's `sub`; an operator's list filter goes
   * through sessionListFilter()).
   */
  requestedUserId?: string | undefined;
  settings: Pick<AuthSettings, 'AUTH_JWT_SECRET' | 'AUTH_JWKS_URL' | 'API_TOKEN' | 'ALLOW_OPEN_ACCESS'>;
  verifier: TokenVerifier;
}

/**
 * Who is asking, or a ParleyError saying why nobody may: `unauthorized` for a missing or bad
 * token, `forbidden` for a client the open mode does not serve.
 */
export async function resolvePrincipal(request: PrincipalRequest): Promise<Principal> {
  const { token, settings, verifier } = request;
  if (!isAuthConfigured(settings)) return openPrincipal(request);
  if (token === undefined) {
    throw new ParleyError(
      'unauthorized',
      'A token is required: send Authorization: Bearer <token>, or ?access_token=<token> on the WebSocket URL.',
    );
  }
  if (token.source === 'token' && !verifier.isApiToken(token.value)) {
    throw new ParleyError(
      'unauthorized',
      'The token query parameter carries only the API token; send a user token as Authorization: Bearer or ?access_token=.',
    );
  }
  return verifier.verify(token.value);
}

/**
 * With no auth setting, anyone who reaches the port is trusted, so by default only this
 * machine may reach it. The Host header (a page whose own name was rebound to 127.0.0.1) is
 * checked for every route by http/host-check.ts, which in this mode answers only to
 * loopback names.
 */
function openPrincipal({ clientAddress, requestedUserId, settings }: PrincipalRequest): Principal {
  const principal: Principal = { kind: 'open', userId: requestedUserId ?? null };
  if (settings.ALLOW_OPEN_ACCESS) return principal;
  if (!isLoopbackAddress(clientAddress)) {
    throw new ParleyError(
      'forbidden',
      'This server has no auth setting, so it serves only clients on its own machine (loopback). ' +
        'Set ALLOW_OPEN_ACCESS=true to serve everyone without credentials, or set AUTH_JWT_SECRET, AUTH_JWKS_URL or API_TOKEN.',
    );
  }
  return principal;
}
