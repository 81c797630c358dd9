import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ParleyError } from '../errors/index.js';
import type { SessionStore } from '../store/types.js';
import { eventPageSchema, pageQuerySchema, problemSchema, sessionPageSchema, sessionParamsSchema, sessionSchema } from './session-schemas.js';
import { userIdParamSchema } from './user-id-param.js';

/** GET /api/sessions, /api/sessions/{id}, /api/sessions/{id}/events (CONTRACT.md). */
export const sessionRoutes: FastifyPluginAsyncZod<{ store: SessionStore; isAllowed: (request: FastifyRequest) => boolean }> = async (
  app,
  { store, isAllowed },
) => {
  app.addHook('onRequest', async (request) => {
    if (!isAllowed(request)) throw new ParleyError('unauthorized', 'This server needs its API token: send Authorization: Bearer <token>.');
  });

  app.get('/api/sessions', {
    schema: {
      tags: ['sessions'],
      summary: 'Sessions, newest first',
      querystring: pageQuerySchema.extend({ user_id: userIdParamSchema.optional(), token: z.string().optional() }),
      response: { 200: sessionPageSchema, 400: problemSchema, 401: problemSchema },
    },
  }, async (request) => {
    const { limit, cursor, user_id: userId } = request.query;
    return store.listSessions({ limit, ...(cursor ? { cursor } : {}), ...(userId ? { userId } : {}) });
  });

  app.get('/api/sessions/:id', {
    schema: {
      tags: ['sessions'],
      summary: 'One session',
      params: sessionParamsSchema,
      response: { 200: sessionSchema, 401: problemSchema, 404: problemSchema },
    },
  }, async (request) => {
    const session = await store.getSession(request.params.id);
    if (!session) throw new ParleyError('not_found', `No session "${request.params.id}"`);
    return session;
  });

  app.get('/api/sessions/:id/events', {
    schema: {
      tags: ['sessions'],
      summary: "A session's events in order",
      params: sessionParamsSchema,
      querystring: pageQuerySchema.extend({ token: z.string().optional() }),
      response: { 200: eventPageSchema, 401: problemSchema, 404: problemSchema },
    },
  }, async (request) => {
    const { id } = request.params;
    const session = await store.getSession(id);
    if (!session) throw new ParleyError('not_found', `No session "${id}"`);
    const { limit, cursor } = request.query;
    const page = await store.listEvents(id, { limit, ...(cursor ? { cursor } : {}) });
    return { session_id: id, ...page };
  });
};
