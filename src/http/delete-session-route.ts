import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SessionNotice } from '../cluster/session-notices.js';
import { ParleyError } from '../errors/index.js';
import type { SessionChanges } from '../store/session-changes.js';
import type { SessionStore } from '../store/types.js';
import { createSessionOwnershipHook, noSuchSession, ownedSessionOf } from './session-access.js';
import { credentialQuery } from './session-routes.js';
import { problemSchema, sessionParamsSchema } from './session-schemas.js';

export interface DeleteSessionRouteOptions {
  store: SessionStore;
  changes: Pick<SessionChanges, 'deleteSession'>;
  /** Closes the session's sockets and stops its turn here, and tells the other instances (SessionHub.announce). */
  announce: (notice: SessionNotice) => Promise<void>;
  /** The session is gone: whoever remembers it forgets it. */
  onDeleted?: (sessionId: string) => void;
}

/**
 * `DELETE /api/sessions/{id}`: the session's sockets get `session_deleted` and close first,
 * then the row goes and everything naming it with it. The id opened again is a new session.
 */
export const deleteSessionRoute: FastifyPluginAsyncZod<DeleteSessionRouteOptions> = async (app, { store, changes, announce, onDeleted }) => {
  app.addHook('preHandler', createSessionOwnershipHook(store));

  app.delete('/api/sessions/:id', {
    schema: {
      tags: ['sessions'],
      summary: 'Deletes a session and its events; its open sockets get `session_deleted` and close',
      params: sessionParamsSchema,
      querystring: z.object(credentialQuery),
      response: { 204: z.null().describe('Deleted'), 401: problemSchema, 403: problemSchema, 404: problemSchema, 503: problemSchema },
    },
  }, async (request, reply) => {
    const { session_id: sessionId } = ownedSessionOf(request);
    try {
      await announce({ t: 'deleted', session: sessionId });
    } catch (error) {
      throw new ParleyError('storage_unavailable', 'The other instances could not be told (Redis did not answer); nothing was deleted. Try again.', { cause: error });
    }
    const existed = await changes.deleteSession(sessionId);
    onDeleted?.(sessionId);
    if (!existed) throw noSuchSession(sessionId);
    return reply.status(204).send(null);
  });
};
