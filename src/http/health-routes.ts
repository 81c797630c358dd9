import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Metrics } from './metrics-registry.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({ kind: z.string(), status: z.enum(['up', 'down']), error: z.string().optional() }),
  model: z.object({ provider: z.string(), model: z.string() }),
  sessions: z.object({ live: z.number().int() }),
  /** `stalled_ms`: how long the batch being written has waited; past the limit, 503. */
  event_writer: z.object({ pending: z.number().int(), stalled_ms: z.number().int() }),
  uptime_seconds: z.number(),
});

export interface HealthSources {
  databaseKind: string;
  ping(): Promise<void>;
  model: { provider: string; model: string };
  liveSessions(): number;
  writerPending(): number;
  writerStalledMs(): number;
  /** Past this the writer counts as unable to write, whatever the ping says. */
  writerStallLimitMs: number;
  metrics: Metrics;
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
  }, async (_request, reply) => {
    let error: string | undefined;
    try {
      await withTimeout(sources.ping(), pingTimeoutMs);
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
    }
    const stalledMs = Math.round(sources.writerStalledMs());
    const unavailable = error !== undefined || stalledMs > sources.writerStallLimitMs;
    const body = {
      status: unavailable ? ('unavailable' as const) : ('ok' as const),
      database: { kind: sources.databaseKind, status: error ? ('down' as const) : ('up' as const), ...(error ? { error } : {}) },
      model: sources.model,
      sessions: { live: sources.liveSessions() },
      event_writer: { pending: sources.writerPending(), stalled_ms: stalledMs },
      uptime_seconds: Math.round(process.uptime()),
    };
    return reply.status(unavailable ? 503 : 200).send(body);
  });

  app.get('/metrics', {
    config: { rateLimit: false },
    schema: { tags: ['operations'], summary: 'Prometheus metrics', hide: false },
  }, async (_request, reply) => {
    reply.type(sources.metrics.registry.contentType);
    return sources.metrics.registry.metrics();
  });
};

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<T>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}
