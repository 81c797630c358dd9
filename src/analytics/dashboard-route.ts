import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';
import { ParleyError } from '../errors/index.js';
import { webRoot } from '../http/web-routes.js';

/** Built with the chat page by `npm run build:web` (its own entry, so the chat page loads none of it). */
const dashboardPath = `${webRoot}dashboard/index.html`;

/**
 * GET /dashboard: the analytics page. Open like `/`: the page signs in as the chat page does
 * and reads /api/analytics with the caller's token.
 */
export const dashboardRoute: FastifyPluginAsync = async (app) => {
  app.get('/dashboard', { schema: { tags: ['web'], summary: 'The analytics dashboard page' } }, async (_request, reply) => {
    if (!existsSync(dashboardPath)) throw new ParleyError('not_found', 'The dashboard is not built: run npm run build:web.');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(await readFile(dashboardPath));
  });
};
