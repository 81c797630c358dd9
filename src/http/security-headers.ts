import type { IncomingMessage } from 'node:http';
import type { FastifyHelmetOptions } from '@fastify/helmet';

/** A Host header fit to be written into a header of our own: a name or address and a port, nothing else. */
const plainHost = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The page's own WebSocket origins. 'self' already covers them in current browsers (CSP 3);
 * naming them keeps older ones working.
 */
function ownSocketSources(request: IncomingMessage): string {
  const host = request.headers.host ?? '';
  return plainHost.test(host) ? `ws://${host} wss://${host}` : '';
}

/**
 * @fastify/helmet's options: a strict Content-Security-Policy (the page's own scripts and
 * styles only, no inline script, no framing), X-Content-Type-Options: nosniff and helmet's
 * other defaults, for every answer (Swagger UI at /docs loads only its own files too). `connectSources` are origins the page may call besides this server (an
 * identity provider it signs in with).
 *
 * Left out on purpose: `upgrade-insecure-requests`, which would send a page opened at
 * http://127.0.0.1 to https for its own API; and HSTS, a year-long promise about the whole
 * domain that belongs to whoever terminates TLS in front of Parley.
 */
export function securityHeaderOptions(connectSources: readonly string[] = []): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
        // The page's icon is a data: URL; attached images are shown from blob: URLs.
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'", ownSocketSources, ...connectSources],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    strictTransportSecurity: false,
  };
}

