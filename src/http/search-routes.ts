import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sessionListFilter } from '../auth/can-access-session.js';
import { decodeSearchCursor } from '../search/search-cursor.js';
import type { SearchService } from '../search/search-service.js';
import { principalOf } from './access-hook.js';
import { searchPageSchema, searchQuerySchema } from './search-schemas.js';
import { problemSchema } from './session-schemas.js';
import { userIdParamSchema } from './user-id-param.js';

const credentialQuery = { token: z.string().optional(), access_token: z.string().optional() };

/**
 * GET /api/search (CONTRACT.md): hits in the caller's own sessions, the same scope as
 * GET /api/sessions (sessionListFilter): a user's own, an operator's all or one user's.
 */
export const searchRoutes: FastifyPluginAsyncZod<{ search: SearchService }> = async (app, { search }) => {
  app.get('/api/search', {
    schema: {
      tags: ['sessions'],
      summary: "Search messages and titles of the caller's sessions: full text, typos, meaning",
      querystring: searchQuerySchema.extend({ user_id: userIdParamSchema.optional(), ...credentialQuery }),
      response: { 200: searchPageSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema },
    },
  }, async (request) => {
    const { q, limit, cursor, user_id: requestedUserId } = request.query;
    const owner = sessionListFilter(principalOf(request), requestedUserId || undefined) ?? null;
    return search.search({ query: q, owner, limit, offset: cursor === undefined ? 0 : decodeSearchCursor(cursor) });
  });
};
