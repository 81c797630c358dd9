import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createSessionOwnershipHook, noSuchSession, ownedSessionOf } from '../http/session-access.js';
import { credentialQuery } from '../http/session-routes.js';
import { problemSchema, sessionParamsSchema, sessionSchema } from '../http/session-schemas.js';
import type { SessionNotice } from '../cluster/session-notices.js';
import type { SessionChanges } from '../store/session-changes.js';
import type { SessionStore } from '../store/types.js';
import { renameBodySchema } from './title-body.js';

export interface RenameRouteOptions {
  store: SessionStore;
  changes: Pick<SessionChanges, 'rename'>;
  /** Tells the session's sockets, on every instance (SessionHub.announce). */
  announce: (notice: SessionNotice) => Promise<void>;
}

/** `PATCH /api/sessions/{id}` `{"title": ...}`: the owner names the session; the model never renames it after. */
export const renameRoute: FastifyPluginAsyncZod<RenameRouteOptions> = async (app, { store, changes, announce }) => {
  app.addHook('preHandler', createSessionOwnershipHook(store));

  app.patch('/api/sessions/:id', {
    schema: {
      tags: ['sessions'],
      summary: "Renames a session; its sockets get a `title` frame",
      params: sessionParamsSchema,
      querystring: z.object(credentialQuery),
      body: renameBodySchema,
      response: { 200: sessionSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
    },
  }, async (request) => {
    const { session_id: sessionId } = ownedSessionOf(request);
    const renamed = await changes.rename(sessionId, request.body.title);
    if (renamed === null) throw noSuchSession(sessionId);
    // The title is stored: sockets that miss the news read it from the API when they load.
    await announce({ t: 'title', session: sessionId, title: request.body.title }).catch((error: unknown) =>
      request.log.warn({ err: error, sessionId }, 'renamed session; its sockets could not all be told'),
    );
    return renamed;
  });
};
