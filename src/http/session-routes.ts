import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionListFilter } from '../auth/can-access-session.js';
import { ParleyError } from '../errors/index.js';
import type { SessionStore } from '../store/types.js';
import { principalOf } from './access-hook.js';
import { createSessionOwnershipHook, ownedSessionOf } from './session-access.js';
import { eventPageSchema, eventsBeforeSchema, pageQuerySchema, problemSchema, sessionPageSchema, sessionParamsSchema, sessionSchema } from './session-schemas.js';
import { userIdParamSchema } from './user-id-param.js';

export const credentialQuery = { token: z.string().optional(), access_token: z.string().optional() };
const refusals = { 401: problemSchema, 403: problemSchema };

/**
 * GET /api/sessions, /api/sessions/{id}, /api/sessions/{id}/events (CONTRACT.md). Who asks
 * was settled by the access hook; which sessions they may see, by the ownership hook and
 * sessionListFilter. The handlers only read.
 */
export const sessionRoutes: FastifyPluginAsyncZod<{ store: SessionStore }> = async (app, { store }) => {
  app.addHook('preHandler', createSessionOwnershipHook(store));

  app.get('/api/sessions', {
    schema: {
      tags: ['sessions'],
      summary: "Sessions, newest first: a user's own; an operator's all, or one user's with user_id",
      querystring: pageQuerySchema.extend({ user_id: userIdParamSchema.optional(), ...credentialQuery }),
      response: { 200: sessionPageSchema, 400: problemSchema, ...refusals },
    },
  }, async (request) => {
    const { limit, cursor, user_id: requestedUserId } = request.query;
    const userId = sessionListFilter(principalOf(request), requestedUserId || undefined);
    return store.listSessions({ limit, ...(cursor ? { cursor } : {}), ...(userId === undefined ? {} : { userId }) });
  });

  app.get('/api/sessions/:id', {
    schema: {
      tags: ['sessions'],
      summary: 'One session',
      params: sessionParamsSchema,
      querystring: z.object(credentialQuery),
      response: { 200: sessionSchema, ...refusals, 404: problemSchema },
    },
  }, async (request) => ownedSessionOf(request));

  app.get('/api/sessions/:id/events', {
    schema: {
      tags: ['sessions'],
      summary: "A session's events in order; with before, the newest ones below that seq, then older pages",
      params: sessionParamsSchema,
      querystring: pageQuerySchema.extend({ before: eventsBeforeSchema.optional(), ...credentialQuery }),
      response: { 200: eventPageSchema, ...refusals, 404: problemSchema },
    },
  }, async (request) => {
    const { session_id: sessionId } = ownedSessionOf(request);
    const { limit, cursor, before } = request.query;
    if (cursor && before !== undefined) throw new ParleyError('bad_request', 'Pass either before or cursor: a cursor goes on in the direction its first page took.');
    const page = await store.listEvents(sessionId, { limit, ...(cursor ? { cursor } : {}), ...(before === undefined ? {} : { before }) });
    return { session_id: sessionId, ...page };
  });
};
