export interface OriginPolicy {
  /** From allowedOriginsOf(settings): canonical origins, or `*` for every origin. */
  allowedOrigins: readonly string[];
  /** The origins this server is reached at, from ownOriginOf(). */
  ownOrigins: readonly string[];
}

function canonicalOrigin(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const origin = new URL(text).origin;
  // Opaque origins (sandboxed frames, file: pages) all serialize to "null" and name no site.
  return origin === 'null' ? undefined : origin;
}

/**
 * Whether a browser page at `origin` may call the API or open a WebSocket. No Origin header
 * means no browser page is asking (curl, an app, a server), so the check does not apply.
 */
export function isOriginAllowed(origin: string | undefined, policy: OriginPolicy): boolean {
  if (origin === undefined) return true;
  if (policy.allowedOrigins.includes('*')) return true;
  const canonical = canonicalOrigin(origin);
  if (canonical === undefined) return false;
  return [...policy.ownOrigins, ...policy.allowedOrigins].some((allowed) => canonicalOrigin(allowed) === canonical);
}

/**
 * The origin a request reached this server at: Fastify's `request.protocol` (which follows
 * TRUST_PROXY's X-Forwarded-Proto) and `request.host` (the Host header, or X-Forwarded-Host
 * behind a trusted proxy).
 */
export function ownOriginOf(request: { protocol: string; host: string | undefined }): string | undefined {
  if (request.host === undefined || request.host === '') return undefined;
  return canonicalOrigin(`${request.protocol}://${request.host}`);
}
