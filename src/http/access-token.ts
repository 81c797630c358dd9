import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * API_TOKEN, when set, guards the session data: REST under /api/ and the WebSocket. A browser
 * cannot set headers on a WebSocket, so `?access_token=` (or the older `?token=`) is accepted as well as `Authorization: Bearer`.
 */
export function createAccessCheck(apiToken: string | undefined): (request: FastifyRequest) => boolean {
  if (apiToken === undefined) return () => true;
  const expected = Buffer.from(apiToken);
  return (request) => {
    const header = request.headers.authorization;
    const fromHeader = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    const query = request.query as { token?: unknown; access_token?: unknown } | undefined;
    const fromQuery = query?.access_token ?? query?.token;
    const given = fromHeader ?? (typeof fromQuery === 'string' ? fromQuery : undefined);
    if (given === undefined) return false;
    const candidate = Buffer.from(given);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  };
}
