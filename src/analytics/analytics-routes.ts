import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sessionListFilter } from '../auth/can-access-session.js';
import { principalOf } from '../http/access-hook.js';
import { problemSchema } from '../http/session-schemas.js';
import type { Queryable } from '../store/types.js';
import { resolveAnalyticsRange } from './analytics-range.js';
import { analyticsQuerySchema, analyticsReportSchema } from './analytics-schemas.js';
import { buildAnalyticsReport } from './build-analytics-report.js';
import { readAnalytics } from './read-analytics.js';

export interface AnalyticsRoutesOptions {
  database: Queryable;
  /** The clock a missing `to` reads (tests fix it). */
  now?: () => Date;
}

/**
 * GET /api/analytics (CONTRACT.md): figures over the caller's sessions, computed in SQL from
 * the event log. Whose sessions count is the sessions list's rule (sessionListFilter): a
 * user's own whatever they ask; an operator's all, or one user's with user_id.
 */
export const analyticsRoutes: FastifyPluginAsyncZod<AnalyticsRoutesOptions> = async (app, { database, now = () => new Date() }) => {
  app.get('/api/analytics', {
    schema: {
      tags: ['analytics'],
      summary: 'Sessions, turns, users, tokens by model, TTFT and duration percentiles, tools and errors, per hour or day and in total',
      querystring: analyticsQuerySchema,
      response: { 200: analyticsReportSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema },
    },
  }, async (request) => {
    const range = resolveAnalyticsRange(request.query, now());
    const userId = sessionListFilter(principalOf(request), request.query.user_id || undefined) ?? null;
    return buildAnalyticsReport(range, userId, await readAnalytics(database, range, userId));
  });
};
