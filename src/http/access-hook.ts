import type { FastifyRequest } from 'fastify';
import { isOriginAllowed, ownOriginOf } from '../auth/origin-check.js';
import type { Principal } from '../auth/principal.js';
import { resolvePrincipal, type PrincipalRequest } from '../auth/resolve-principal.js';
import { tokenFromRequest } from '../auth/token-from-request.js';
import type { TokenVerifier } from '../auth/verify-token.js';
import { ParleyError, isParleyError } from '../errors/index.js';
import { userIdParamSchema } from './user-id-param.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who asks, set by the access hook on every guarded route (null elsewhere). */
    principal: Principal | null;
    /**
     * Why a WebSocket upgrade may not go on. The upgrade itself is still answered, so that the
     * handler can send the `error` frame CONTRACT.md promises and close with 1008.
     */
    accessRefusal: ParleyError | null;
  }
}

export interface AccessOptions {
  settings: PrincipalRequest['settings'];
  verifier: TokenVerifier;
  /** From allowedOriginsOf(settings). */
  allowedOrigins: readonly string[];
}

/** The routes that touch sessions or operator data; `/`, `/health`, `/docs` stay open. */
export function isGuardedRoute(routeUrl: string | undefined): boolean {
  if (routeUrl === undefined) return false;
  return routeUrl.startsWith('/api/') || routeUrl.startsWith('/ws/') || routeUrl === '/metrics';
}

/**
 * The one onRequest hook that resolves who asks, before any guarded route runs: first the
 * browser's Origin (a foreign page is refused with 403, the WebSocket upgrade included, so
 * cross-site WebSocket hijacking gets no socket), then the token into `request.principal`.
 * Routes decide with that principal and never read a token themselves.
 */
export function createAccessHook({ settings, verifier, allowedOrigins }: AccessOptions): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if (!isGuardedRoute(request.routeOptions.url)) return;
    // The own origin in either scheme: behind a proxy that ends TLS without TRUST_PROXY the
    // server sees http while the page is https, and the host alone names the site.
    const ownOrigins = ['http', 'https'].flatMap((protocol) => ownOriginOf({ protocol, host: request.host }) ?? []);
    if (!isOriginAllowed(request.headers.origin, { allowedOrigins, ownOrigins })) {
      throw new ParleyError('forbidden', 'This page\'s origin is not allowed to use this server; its operator can add it to ALLOWED_ORIGINS.');
    }
    try {
      request.principal = await resolvePrincipal({
        token: tokenFromRequest({ authorization: request.headers.authorization, query: request.query }),
        clientAddress: request.ip,
        requestedUserId: requestedUserIdOf(request.query),
        settings,
        verifier,
      });
    } catch (error) {
      if (!isParleyError(error) || !request.ws) throw error;
      request.accessRefusal = error;
    }
  };
}

/** The request's own principal; a guarded route without one is a wiring mistake, not a client's. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new ParleyError('internal', 'No principal was resolved for this route.');
  return request.principal;
}

/** The `user_id` query parameter when it is valid; the routes refuse an invalid one with their own words. */
function requestedUserIdOf(query: unknown): string | undefined {
  const raw = typeof query === 'object' && query !== null ? (query as Record<string, unknown>).user_id : undefined;
  const parsed = userIdParamSchema.safeParse(raw);
  return parsed.success && parsed.data !== '' ? parsed.data : undefined;
}
