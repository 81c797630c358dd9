import { readFileSync } from 'node:fs';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { allowedOriginsOf, isAuthConfigured } from './auth/auth-settings.js';
import { createTokenVerifier } from './auth/verify-token.js';
import type { Settings } from './config.js';
import { ParleyError } from './errors/index.js';
import { createAccessHook } from './http/access-hook.js';
import { createConnectionRateLimit } from './http/connection-rate-limit.js';
import { healthRoutes } from './http/health-routes.js';
import { allowedHostNames, createHostCheck } from './http/host-check.js';
import { createMetrics } from './http/metrics-registry.js';
import { redactUrl } from './http/redact-url.js';
import { securityHeaderOptions } from './http/security-headers.js';
import { registerProblemHandlers } from './http/problem-handlers.js';
import { sessionRoutes } from './http/session-routes.js';
import { webRoutes } from './http/web-routes.js';
import { websocketRoute } from './http/websocket-route.js';
import { Finalizer } from './jobs/finalizer.js';
import { estimateUsage } from './llm/estimate-usage.js';
import { createModelRunner, type ModelRunner } from './llm/model-runner.js';
import { createQuotaGate } from './quotas/create-quota-gate.js';
import { createDatabaseUsageCounter } from './quotas/database-usage-counter.js';
import { SessionHub } from './sessions/session-hub.js';
import { EventWriter } from './store/event-writer.js';
import { openDatabase } from './store/open-database.js';
import { createSessionStore } from './store/session-store.js';
import type { Database, SessionStore } from './store/types.js';
import { createDefaultToolRegistry } from './tools/default-tools.js';
import type { ToolRegistry } from './tools/tool-registry.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The parts of a running Parley, for main.ts, the tests and the benchmark. */
export interface Parley {
  settings: Settings;
  database: Database;
  store: SessionStore;
  writer: EventWriter;
  tools: ToolRegistry;
  runner: ModelRunner;
  hub: SessionHub;
  finalizer: Finalizer;
}

declare module 'fastify' {
  interface FastifyInstance {
    parley: Parley;
  }
}

export interface BuildOptions {
  /** Where log lines go (tests read them); stdout by default. */
  logStream?: DestinationStream;
  /** Replaces the model chosen from settings (tests, benchmarks). */
  runner?: ModelRunner;
  /** Replaces the default tools (plugins add theirs here). */
  tools?: ToolRegistry;
}

/**
 * Fastify takes addresses, ranges and booleans as they are, but trusts nothing for a bare
 * hop count; as a function, the count trusts the nearest `hops` addresses (Express's reading).
 */
function fastifyTrustProxy(setting: Settings['TRUST_PROXY']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}

/** Builds the whole server without listening (STYLE.md 7): tests use inject() and port 0. */
export async function buildApp(settings: Settings, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: settings.LOG_LEVEL,
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: ['req.headers.authorization', 'req.headers["x-goog-api-key"]', 'req.headers.cookie'],
      serializers: {
        // Fastify's own request serializer, with credentials in the query (`?token=`) redacted.
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: redactUrl(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
    },
    // One log line per request only when debugging: under load they would outnumber everything.
    logController: new LogController({ disableRequestLogging: settings.LOG_LEVEL !== 'debug' && settings.LOG_LEVEL !== 'trace' }),
    bodyLimit: settings.MAX_FRAME_BYTES,
    // Session ids run to 128 characters; longer ones reach the routes, whose schemas answer
    // with a `bad_request` problem instead of the router's bare 414.
    maxParamLength: 1024,
    // request.ip (the open mode's loopback check, rate limits) and request.protocol/host (the
    // page's own origin) follow X-Forwarded-* only from these proxies.
    trustProxy: fastifyTrustProxy(settings.TRUST_PROXY),
  }).withTypeProvider<ZodTypeProvider>();
  app.decorateRequest('principal', null);
  app.decorateRequest('accessRefusal', null);
  app.decorateRequest('ownedSession', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);

  const database = await openDatabase({
    ...(settings.DATABASE_URL ? { databaseUrl: settings.DATABASE_URL } : {}),
    dataDir: settings.DATA_DIR,
    prepare: settings.DATABASE_PREPARE,
    poolSize: settings.DATABASE_POOL_SIZE,
  });
  const store = createSessionStore(database);
  const writer = new EventWriter(store, {
    onError: (error, attempt) => app.log.warn({ err: error, attempt }, 'event write failed; retrying'),
  });
  const tools = options.tools ?? createDefaultToolRegistry({ defaultTimeoutMs: settings.TOOL_TIMEOUT_MS });
  const runner = options.runner ?? createModelRunner(settings, tools);

  let hub: SessionHub | null = null;
  const metrics = createMetrics({
    liveSessions: () => hub?.liveCount ?? 0,
    writerPending: () => writer.pending,
    writerRoundTrips: () => writer.roundTrips,
  });
  let finalizer: Finalizer | null = null;
  hub = new SessionHub(
    store,
    {
      writer,
      runner,
      estimateUsage,
      quota: createQuotaGate(createDatabaseUsageCounter(database), {
        messagesPerMinute: settings.RATE_LIMIT_MESSAGES_PER_MINUTE,
        tokensPerDay: settings.QUOTA_TOKENS_PER_DAY,
      }),
      limits: {
        maxMessageChars: settings.MAX_MESSAGE_CHARS,
        ackDeadlineMs: settings.ACK_TIMEOUT_MS,
        backpressure: { softBytes: settings.WS_BUFFER_SOFT_BYTES, hardBytes: settings.WS_BUFFER_HARD_BYTES },
      },
      onTurnEnd: (_session, result) => {
        metrics.turns.inc({ status: result.status });
        if (result.ttftMs !== null) metrics.ttft.observe(result.ttftMs / 1000);
        metrics.turnDuration.observe(result.durationMs / 1000);
        if (result.error) metrics.frameErrors.inc({ code: result.error.code });
      },
      onSlowConsumer: () => metrics.slowConsumers.inc(),
      onWriteError: (error) => app.log.error({ err: error }, 'event could not be queued'),
    },
    { onLastDetach: (sessionId) => finalizer?.schedule(sessionId) },
  );
  finalizer = new Finalizer({
    store,
    hub,
    writer,
    summarize: (history) => runner.summarize(history),
    graceMs: settings.FINALIZE_GRACE_MS,
    pollMs: Math.max(1_000, Math.min(settings.FINALIZE_GRACE_MS, 15_000)),
    logger: app.log,
    onFinalized: () => metrics.finalized.inc(),
  });

  app.decorate('parley', { settings, database, store, writer, tools, runner, hub, finalizer });

  await app.register(fastifyHelmet, securityHeaderOptions());
  const allowedOrigins = allowedOriginsOf(settings);
  if (allowedOrigins.length > 0) {
    await app.register(fastifyCors, { origin: allowedOrigins.includes('*') ? '*' : allowedOrigins });
  }
  if (settings.RATE_LIMIT_HTTP_PER_MINUTE > 0) {
    // Keyed by request.ip, which follows TRUST_PROXY: clients behind one proxy are not one client.
    await app.register(fastifyRateLimit, {
      max: settings.RATE_LIMIT_HTTP_PER_MINUTE,
      timeWindow: '1 minute',
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
        return new ParleyError('rate_limited', `More than ${context.max} requests a minute from this address; retry in ${seconds} s.`, {
          retryAfterSeconds: seconds,
        });
      },
    });
  }
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Parley',
        version: packageJson.version,
        description: 'Realtime conversational AI backend. The realtime protocol is a WebSocket at /ws/session/{session_id}; see the README.',
      },
      tags: [{ name: 'sessions' }, { name: 'operations' }, { name: 'web' }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(fastifyWebsocket, {
    // ws refuses frames past this outright (closing with 1009); up to it, frames over
    // MAX_FRAME_BYTES get a `too_large` error frame and the socket stays usable.
    options: { maxPayload: Math.max(settings.MAX_FRAME_BYTES * 4, 1024 * 1024) },
    // Replaces the plugin's own, which closes every socket at once: running turns first
    // get SHUTDOWN_TIMEOUT_MS to finish (or are cancelled), then sockets close with 1001.
    preClose: async function closeSessions(this: FastifyInstance) {
      await hub.shutdown(settings.SHUTDOWN_TIMEOUT_MS);
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => this.websocketServer.close(() => resolve()));
    },
  });
  // After the WebSocket plugin's own onRequest hook, which marks an upgrade so that a refused
  // one has its socket closed (a hook reaches the routes registered before it too).
  const openToThisMachineOnly = !isAuthConfigured(settings) && !settings.ALLOW_OPEN_ACCESS;
  app.addHook('onRequest', createHostCheck(allowedHostNames(settings.HOST, settings.ALLOWED_HOSTS, openToThisMachineOnly)));
  app.addHook('onRequest', createConnectionRateLimit(settings.RATE_LIMIT_CONNECTIONS_PER_MINUTE));
  app.addHook('onRequest', createAccessHook({ settings, verifier: createTokenVerifier(settings), allowedOrigins }));
  await app.register(websocketRoute, {
    hub,
    store,
    maxFrameBytes: settings.MAX_FRAME_BYTES,
    metrics,
    expiryGraceMs: settings.AUTH_CLOCK_SKEW_S * 1000,
  });
  await app.register(sessionRoutes, { store });
  await app.register(healthRoutes, {
    databaseKind: database.kind,
    databaseTls: database.encrypted,
    ping: () => store.ping(),
    model: { provider: runner.provider, model: runner.modelId },
    liveSessions: () => hub.liveCount,
    writerPending: () => writer.pending,
    metrics,
  });
  await app.register(webRoutes, { version: packageJson.version });

  app.addHook('onReady', async () => {
    await finalizer.start();
  });
  app.addHook('onClose', async () => {
    await finalizer.stop();
    const left = await writer.close(settings.SHUTDOWN_TIMEOUT_MS);
    if (left > 0) app.log.error({ left }, 'events could not be written before shutdown');
    await database.close();
  });
  return app;
}
