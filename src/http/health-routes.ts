import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ParleyError } from '../errors/index.js';
import { mcpHealthSchema, type McpHealth } from '../tools/mcp/mcp-tool-source.js';
import { waitAtMost } from '../time/wait-at-most.js';
import { principalOf } from './access-hook.js';
import type { Metrics } from './metrics-registry.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  // Why the database is down goes to the log, not to whoever asks: driver errors name hosts and users.
  database: z.object({
    kind: z.string(),
    status: z.enum(['up', 'down']),
    tls: z.boolean().optional().describe('A PostgreSQL server only: whether the link to it is encrypted'),
  }),
  /** Which Redis-sharing instance answered: ids differ per process, and per start. */
  instance_id: z.string(),
  /** With REDIS_URL only: whether this instance reaches the Redis the instances share; down is 503. */
  redis: z.object({ status: z.enum(['up', 'down']) }).optional(),
  model: z.object({ provider: z.string(), model: z.string() }),
  /** With TOOLS_FILE only: each MCP server's state; a server that is down does not make /health 503. */
  mcp: mcpHealthSchema.optional(),
  /** `followed`: sessions with sockets here that another instance runs. */
  sessions: z.object({ live: z.number().int(), followed: z.number().int().optional() }),
  /** `stalled_ms`: how long the batch being written has waited; past the limit, 503. */
  event_writer: z.object({ pending: z.number().int(), stalled_ms: z.number().int() }),
  /** Which search modes run: typos need pg_trgm; meaning, an embedding (SEARCH_EMBEDDINGS). */
  search: z.object({
    full_text: z.boolean(),
    trigram: z.boolean(),
    semantic: z.union([z.enum(['builtin', 'gemini', 'openai']), z.literal(false)]),
  }).optional(),
  uptime_seconds: z.number(),
});

export interface HealthSources {
  databaseKind: string;
  /** Absent for PGlite, which has no link to encrypt. */
  databaseTls: boolean | undefined;
  ping(): Promise<void>;
  instanceId: string;
  /** Present with REDIS_URL: answers whether Redis answers. */
  redis?: { ping(): Promise<boolean>; followedSessions(): number };
  model: { provider: string; model: string };
  /** Present with TOOLS_FILE. */
  mcp?: () => McpHealth;
  liveSessions(): number;
  writerPending(): number;
  writerStalledMs(): number;
  /** Past this the writer counts as unable to write, whatever the ping says. */
  writerStallLimitMs: number;
  metrics: Metrics;
  search?: () => { full_text: boolean; trigram: boolean; semantic: 'builtin' | 'gemini' | 'openai' | false };
}

const pingTimeoutMs = 2_000;

/**
 * /health (200 while the database answers and events get written, 503 when either fails) and
 * /metrics for Prometheus.
 */
export const healthRoutes: FastifyPluginAsyncZod<HealthSources> = async (app, sources) => {
  app.get('/health', {
    config: { rateLimit: false },
    schema: { tags: ['operations'], summary: 'Liveness and database health', response: { 200: healthSchema, 503: healthSchema } },
  }, async (request, reply) => {
    let up = true;
    try {
      const ping = sources.ping();
      if (!(await waitAtMost(ping, pingTimeoutMs))) throw new Error(`no answer within ${pingTimeoutMs} ms`);
      await ping;
    } catch (error) {
      up = false;
      request.log.warn({ err: error }, 'database health check failed');
    }
    const redisUp = sources.redis === undefined ? undefined : await sources.redis.ping();
    const stalledMs = Math.round(sources.writerStalledMs());
    const unavailable = !up || stalledMs > sources.writerStallLimitMs || redisUp === false;
    const body = {
      status: unavailable ? ('unavailable' as const) : ('ok' as const),
      database: {
        kind: sources.databaseKind,
        status: up ? ('up' as const) : ('down' as const),
        ...(sources.databaseTls === undefined ? {} : { tls: sources.databaseTls }),
      },
      instance_id: sources.instanceId,
      ...(redisUp === undefined ? {} : { redis: { status: redisUp ? ('up' as const) : ('down' as const) } }),
      model: sources.model,
      ...(sources.mcp ? { mcp: sources.mcp() } : {}),
      sessions: { live: sources.liveSessions(), ...(sources.redis ? { followed: sources.redis.followedSessions() } : {}) },
      event_writer: { pending: sources.writerPending(), stalled_ms: stalledMs },
      ...(sources.search ? { search: sources.search() } : {}),
      uptime_seconds: Math.round(process.uptime()),
    };
    return reply.status(unavailable ? 503 : 200).send(body);
  });

  app.get('/metrics', {
    config: { rateLimit: false },
    schema: { tags: ['operations'], summary: 'Prometheus metrics (operators only when auth is on)', hide: false },
  }, async (request, reply) => {
    // The access hook has refused a missing or bad token already; a signed-in user is no operator.
    if (principalOf(request).kind === 'user') {
      throw new ParleyError('forbidden', 'Metrics are for operators: send API_TOKEN, or a token whose role is service_role.');
    }
    reply.type(sources.metrics.registry.contentType);
    return sources.metrics.registry.metrics();
  });
};
