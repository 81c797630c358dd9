import type { FastifyRequest } from 'fastify';
import { canAccessSession, ownerForNewSession } from '../auth/can-access-session.js';
import { ParleyError } from '../errors/index.js';
import type { SessionRow, SessionStore } from '../store/types.js';
import { principalOf } from './access-hook.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session a /api/sessions/{id} route works on, loaded and checked by the ownership hook. */
    ownedSession: SessionRow | null;
  }
}

/** The same words for a session nobody has and one somebody else has, so ids cannot be probed. */
export function noSuchSession(sessionId: string): ParleyError {
  return new ParleyError('not_found', `No session "${sessionId}"`);
}

/**
 * A preHandler for every route with a session `:id` (after its schema has checked the id):
 * loads the session and lets the request on only when canAccessSession allows it. A foreign
 * session answers exactly as a missing one, 404 `not_found`.
 */
export function createSessionOwnershipHook(
  store: SessionStore,
  { createOnPost = false }: { createOnPost?: boolean } = {},
): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const sessionId = (request.params as { id?: unknown } | undefined)?.id;
    if (typeof sessionId !== 'string') return;
    let session = await store.getSession(sessionId);
    // A file attached before the first message: the session (rowless until a message, see
    // lazy-session-row.ts) gets its row now, owned by the uploader unless someone was first.
    if (session === null && createOnPost && request.method === 'POST') {
      session = (await store.openSession(sessionId, ownerForNewSession(principalOf(request)))).session;
    }
    if (session === null || canAccessSession(principalOf(request), session.user_id) !== 'allow') throw noSuchSession(sessionId);
    request.ownedSession = session;
  };
}

/** The session the ownership hook admitted. */
export function ownedSessionOf(request: FastifyRequest): SessionRow {
  if (request.ownedSession === null) throw new ParleyError('internal', 'No session was checked for this route.');
  return request.ownedSession;
}
