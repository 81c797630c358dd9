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
import { analyticsRoutes } from './analytics/analytics-routes.js';
import { dashboardRoute } from './analytics/dashboard-route.js';
import { allowedOriginsOf, isAuthConfigured } from './auth/auth-settings.js';
import { createTokenVerifier } from './auth/verify-token.js';
import type { Settings } from './config.js';
import { createAccessHook } from './http/access-hook.js';
import { createConnectionRateLimit } from './http/connection-rate-limit.js';
import { httpRateLimitOptions } from './http/http-rate-limit-options.js';
import { createRedisTokenBuckets } from './http/redis-token-buckets.js';
import { healthRoutes } from './http/health-routes.js';
import { allowedHostNames, createHostCheck } from './http/host-check.js';
import { createMetrics } from './http/metrics-registry.js';
import { redactUrl } from './http/redact-url.js';
import { supabasePageConfig } from './http/page-settings.js';
import { securityHeaderOptions } from './http/security-headers.js';
import { registerProblemHandlers } from './http/problem-handlers.js';
import { searchRoutes } from './http/search-routes.js';
import { sessionRoutes } from './http/session-routes.js';
import { chatRoutes } from './aichat/chat-routes.js';
import { deleteSessionRoute } from './http/delete-session-route.js';
import { exportRoute } from './export/export-route.js';
import { renameRoute } from './titles/rename-route.js';
import { TitleWriter } from './titles/title-writer.js';
import { writeSessionTitle } from './llm/write-title.js';
import { createSessionChanges } from './store/session-changes.js';
import type { SessionNotice } from './cluster/session-notices.js';
import { voiceRouteOptions } from './voice/voice-route-options.js';
import { voiceRoutes } from './voice/voice-routes.js';
import { webRoutes } from './http/web-routes.js';
import { asyncApiRoute } from './http/asyncapi-route.js';
import { websocketRoute } from './http/websocket-route.js';
import { clusterKeys } from './cluster/cluster-keys.js';
import { ClusterNode, newInstanceId } from './cluster/cluster-node.js';
import { connectRedis, createRedisConnection } from './redis/redis-connection.js';
import { defaultLeaseTiming } from './cluster/session-leases.js';
import { createFileService, type FileService } from './files/create-file-service.js';
import { fileRoutes } from './files/file-routes.js';
import { Finalizer } from './jobs/finalizer.js';
import { estimateUsage } from './llm/estimate-usage.js';
import { createModelRunner, type ModelRunner } from './llm/model-runner.js';
import { createQuotaGate } from './quotas/create-quota-gate.js';
import { createDatabaseUsageCounter } from './quotas/database-usage-counter.js';
import { createRedisUsageCounter } from './quotas/redis-usage-counter.js';
import { defaultCrashLimits } from './sessions/session.js';
import { defaultFrameTurns, frameBytesFor } from './sessions/history-window.js';
import { SessionHub } from './sessions/session-hub.js';
import { chooseEmbedder } from './search/choose-embedder.js';
import { createSearch, type Search } from './search/create-search.js';
import { isParleyError } from './errors/index.js';
import { waitAtMost } from './time/wait-at-most.js';
import { EventWriter } from './store/event-writer.js';
import { SessionProgressWriter } from './store/session-progress-writer.js';
import { openConfiguredDatabase } from './store/open-configured-database.js';
import { createSessionStore } from './store/session-store.js';
import type { Database, SessionStore } from './store/types.js';
import { createDefaultToolRegistry } from './tools/default-tools.js';
import { McpToolSource } from './tools/mcp/mcp-tool-source.js';
import { createToolNameFilter } from './tools/tool-name-filter.js';
import type { ToolRegistry } from './tools/tool-registry.js';
import type { TextEmbedder } from './llm/text-embedder.js';

/** How long clients get to answer the server's close at shutdown before their sockets are cut. */
const closeHandshakeGraceMs = 2_000;

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The parts of a running Parley, for main.ts, the tests and the benchmark. */
export interface Parley {
  settings: Settings;
  database: Database;
  store: SessionStore;
  writer: EventWriter;
  progress: SessionProgressWriter;
  tools: ToolRegistry;
  runner: ModelRunner;
  hub: SessionHub;
  finalizer: Finalizer;
  /** Names sessions after their first completed turn. */
  titles: TitleWriter;
  files: FileService;
  /** This process among the instances sharing REDIS_URL; null without it. */
  cluster: ClusterNode | null;
  instanceId: string;
  search: Search;
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
  /** The database, already opening (main.ts starts it while the server's modules load). */
  database?: Promise<Database>;
  /** Replaces the embedding SEARCH_EMBEDDINGS chooses (null: none). */
  embedder?: TextEmbedder | null;
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
    routerOptions: { maxParamLength: 1024 },
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

  const database = await (options.database ?? openConfiguredDatabase(settings));
  const store = createSessionStore(database);
  const progress = new SessionProgressWriter(store, {
    onError: (error, attempt) => app.log.warn({ err: error, attempt }, 'session progress write failed; retrying'),
  });
  // The gauges are read at scrape time, once everything below exists.
  const metrics = createMetrics({
    liveSessions: () => hub.liveCount,
    writerPending: () => writer.pending,
    writerRoundTrips: () => writer.roundTrips,
    writerStalledMs: () => writer.stalledMs,
  });
  const writer = new EventWriter(store, {
    onError: (error, attempt) => app.log.warn({ err: error, attempt }, 'event write failed; retrying'),
    onPoisoned: (event, error) => {
      metrics.eventsPoisoned.inc();
      app.log.error(
        { err: error, sessionId: event.session_id, eventType: event.event_type, seq: event.seq },
        'the database refused an event; it is logged as write_failed',
      );
    },
  });
  const instanceId = newInstanceId();
  const cluster = settings.REDIS_URL ? await joinCluster(settings.REDIS_URL, settings.REDIS_KEY_PREFIX, instanceId, metrics, app.log) : null;
  // Quotas and rate limits count in the Redis the instances share, when there is one.
  const sharedRedis = cluster ? { redis: cluster.redis, prefix: settings.REDIS_KEY_PREFIX } : undefined;
  const tools = options.tools ?? createDefaultToolRegistry({
    logger: app.log,
    defaultTimeoutMs: settings.TOOL_TIMEOUT_MS,
    isAllowed: createToolNameFilter(settings.TOOLS_ALLOW, settings.TOOLS_DENY),
  });
  // The registry's own timeout stops a call first; the SDK's is a backstop.
  const mcp = settings.TOOLS_FILE
    ? await McpToolSource.load(settings.TOOLS_FILE, process.env, { logger: app.log, clientVersion: packageJson.version, callTimeoutMs: settings.TOOL_TIMEOUT_MS + 1_000 })
    : null;
  if (mcp) tools.addSource(mcp);
  const files = await createFileService(settings, database, (error) => app.log.warn({ err: error }, 'sweeping FILES_DIR failed'));
  const runner = options.runner ?? createModelRunner(settings, tools, { logger: app.log, attachments: files.loadAttachments });
  const changes = createSessionChanges(database);
  const announce = (notice: SessionNotice) => hub.announce(notice);
  const titles = new TitleWriter({
    store,
    changes,
    write: (history, signal) => runner.title?.(history, signal) ?? writeSessionTitle({ model: null, history, logger: app.log }),
    announce: (sessionId, title) => announce({ t: 'title', session: sessionId, title }),
    logger: app.log,
  });

  const hub = new SessionHub(
    store,
    {
      writer,
      progress,
      log: store,
      runner,
      estimateUsage,
      files: files.store,
      quota: createQuotaGate(sharedRedis ? createRedisUsageCounter(sharedRedis.redis, sharedRedis.prefix) : createDatabaseUsageCounter(database), {
        messagesPerMinute: settings.RATE_LIMIT_MESSAGES_PER_MINUTE,
        tokensPerDay: settings.QUOTA_TOKENS_PER_DAY,
      }),
      limits: {
        maxMessageChars: settings.MAX_MESSAGE_CHARS,
        ackDeadlineMs: settings.ACK_TIMEOUT_MS,
        backpressure: { softBytes: settings.WS_BUFFER_SOFT_BYTES, hardBytes: settings.WS_BUFFER_HARD_BYTES },
        history: {
          contextBudgetTokens: settings.CONTEXT_BUDGET_TOKENS,
          frameTurns: defaultFrameTurns,
          frameBytes: frameBytesFor(settings.WS_BUFFER_HARD_BYTES),
        },
        ...defaultCrashLimits,
      },
      onTurnEnd: (session, result) => {
        titles.afterTurn(session.id, result.status);
        metrics.turns.inc({ status: result.status });
        if (result.ttftMs !== null) metrics.ttft.observe(result.ttftMs / 1000);
        metrics.turnDuration.observe(result.durationMs / 1000);
        const model = result.model ?? 'unknown';
        metrics.tokens.inc({ direction: 'prompt', model }, result.usage.promptTokens ?? 0);
        metrics.tokens.inc({ direction: 'completion', model }, result.usage.completionTokens ?? 0);
        if (result.error) metrics.frameErrors.inc({ code: result.error.code });
      },
      onSlowConsumer: () => metrics.slowConsumers.inc(),
      onWriteError: (error) => {
        // A refused event is logged by the writer's onPoisoned, with its session.
        if (!isParleyError(error) || error.code !== 'write_failed') app.log.error({ err: error }, 'event could not be queued');
      },
      onSeqReservationLate: (sessionId) => app.log.warn({ sessionId }, 'seq block not stored in time; frames sent without it'),
    },
    cluster,
    (sessionId) => {
      metrics.leaseTakeovers.inc();
      app.log.info({ sessionId }, 'took over a session from another instance');
    },
  );
  const finalizer = new Finalizer({
    store,
    sessions: hub,
    writer,
    summarize: (history) => runner.summarize(history),
    graceMs: settings.FINALIZE_GRACE_MS,
    pollMs: Math.max(1_000, Math.min(settings.FINALIZE_GRACE_MS, 15_000)),
    logger: app.log,
    recoverAtStart: cluster === null,
    onFinalized: () => metrics.finalized.inc(),
  });
  hub.onLastDetach((sessionId) => finalizer.schedule(sessionId));
  const search = await createSearch(database, options.embedder === undefined ? chooseEmbedder(settings) : options.embedder, app.log);

  app.decorate('parley', { settings, database, store, writer, progress, tools, runner, hub, finalizer, titles, files, cluster, instanceId, search });

  const supabase = supabasePageConfig(settings);
  // The page's Supabase client talks to the project's own origin.
  await app.register(fastifyHelmet, securityHeaderOptions(supabase ? [new URL(supabase.url).origin] : []));
  const allowedOrigins = allowedOriginsOf(settings);
  if (allowedOrigins.length > 0) {
    await app.register(fastifyCors, { origin: allowedOrigins.includes('*') ? '*' : allowedOrigins });
  }
  if (settings.RATE_LIMIT_HTTP_PER_MINUTE > 0) {
    await app.register(fastifyRateLimit, httpRateLimitOptions(settings.RATE_LIMIT_HTTP_PER_MINUTE, sharedRedis));
  }
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Parley',
        version: packageJson.version,
        description: 'Realtime conversational AI backend. The realtime protocol is a WebSocket at /ws/session/{session_id}, described as an AsyncAPI 3.0 document at [/asyncapi.json](/asyncapi.json).',
      },
      externalDocs: { description: 'The WebSocket protocol (AsyncAPI 3.0)', url: '/asyncapi.json' },
      tags: [{ name: 'sessions' }, { name: 'chat' }, { name: 'voice' }, { name: 'operations' }, { name: 'web' }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(asyncApiRoute, { version: packageJson.version });

  await app.register(fastifyWebsocket, {
    // ws refuses frames past this outright (closing with 1009); up to it, frames over
    // MAX_FRAME_BYTES get a `too_large` error frame and the socket stays usable.
    // Protocol pings are answered by the route, within the socket's buffer limit.
    options: { maxPayload: Math.max(settings.MAX_FRAME_BYTES * 4, 1024 * 1024), autoPong: false },
    // Replaces the plugin's own, which closes every socket at once: running turns first
    // get SHUTDOWN_TIMEOUT_MS to finish (or are cancelled), then sockets close with 1001.
    preClose: async function closeSessions(this: FastifyInstance) {
      await hub.shutdown(settings.SHUTDOWN_TIMEOUT_MS);
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down');
      const closed = new Promise<void>((resolve) => this.websocketServer.close(() => resolve()));
      // A client that does not read never answers the close, and ws would wait 30 s for it.
      await waitAtMost(closed, closeHandshakeGraceMs);
      for (const client of this.websocketServer.clients) client.terminate();
      await closed;
    },
  });
  // After the WebSocket plugin's own onRequest hook, which marks an upgrade so that a refused
  // one has its socket closed (a hook reaches the routes registered before it too).
  const openToThisMachineOnly = !isAuthConfigured(settings) && !settings.ALLOW_OPEN_ACCESS;
  app.addHook('onRequest', createHostCheck(allowedHostNames(settings.HOST, settings.ALLOWED_HOSTS, openToThisMachineOnly)));
  const connectionLimit = settings.RATE_LIMIT_CONNECTIONS_PER_MINUTE;
  app.addHook('onRequest', createConnectionRateLimit(
    connectionLimit,
    sharedRedis ? createRedisTokenBuckets(sharedRedis.redis, sharedRedis.prefix, connectionLimit) : undefined,
  ));
  app.addHook('onRequest', createAccessHook({ settings, verifier: createTokenVerifier(settings), allowedOrigins }));
  await app.register(websocketRoute, {
    hub,
    store,
    maxFrameBytes: settings.MAX_FRAME_BYTES,
    hardBufferBytes: settings.WS_BUFFER_HARD_BYTES,
    metrics,
    expiryGraceMs: settings.AUTH_CLOCK_SKEW_S * 1000,
  });
  await app.register(sessionRoutes, { store });
  await app.register(chatRoutes, { hub, store, clustered: cluster !== null, decideWithinMs: settings.ACK_TIMEOUT_MS * 3 });
  await app.register(searchRoutes, { search: search.service });
  await app.register(analyticsRoutes, { database });
  await app.register(renameRoute, { store, changes, announce });
  await app.register(deleteSessionRoute, { store, changes, announce, onDeleted: (sessionId) => titles.forget(sessionId) });
  await app.register(exportRoute, { store });
  await app.register(fileRoutes, { store, files: files.store, policy: files.policy });
  await app.register(voiceRoutes, voiceRouteOptions(settings, sharedRedis));
  await app.register(healthRoutes, {
    databaseKind: database.kind,
    databaseTls: database.encrypted,
    ping: () => store.ping(),
    instanceId,
    ...(cluster ? { redis: { ping: () => cluster.ping(), followedSessions: () => hub.followedCount } } : {}),
    model: { provider: runner.provider, model: runner.modelId },
    ...(mcp ? { mcp: () => mcp.health() } : {}),
    liveSessions: () => hub.liveCount,
    writerPending: () => writer.pending,
    writerStalledMs: () => writer.stalledMs,
    // Past this, user messages are already answered storage_unavailable: the instance cannot take them.
    writerStallLimitMs: settings.ACK_TIMEOUT_MS,
    metrics,
    search: () => search.service.modes,
  });
  await app.register(webRoutes, { version: packageJson.version, authMode: isAuthConfigured(settings) ? 'token' : 'open', ...(supabase ? { supabase } : {}) });
  await app.register(dashboardRoute);

  // Bounded (McpToolSource.start): a slow server connects on in the background.
  if (mcp) app.addHook('onReady', () => mcp.start());
  app.addHook('onClose', async () => {
    await mcp?.close();
  });
  app.addHook('onReady', async () => {
    await cluster?.start(hub);
    await finalizer.start();
    search.indexer.start();
  });
  app.addHook('onClose', async () => {
    // Every step bounded: a model or embedding call that ignores its abort must not hold the exit.
    await waitAtMost(titles.stop(), settings.SHUTDOWN_TIMEOUT_MS);
    // Side by side and bounded: a finalize in progress waits for the writer's flush, which a
    // database that cannot be written never gives; closing the writer ends that wait.
    const [, left] = await Promise.all([
      waitAtMost(finalizer.stop(), settings.SHUTDOWN_TIMEOUT_MS),
      writer.close(settings.SHUTDOWN_TIMEOUT_MS),
    ]);
    if (left > 0) app.log.error({ left }, 'events could not be written before shutdown');
    // After the events: a finished turn's checkpoint is dropped once its answer is stored.
    const progressLeft = await progress.close(settings.SHUTDOWN_TIMEOUT_MS);
    if (progressLeft > 0) app.log.error({ left: progressLeft }, 'session progress could not be written before shutdown');
    await waitAtMost(search.indexer.stop(), settings.SHUTDOWN_TIMEOUT_MS);
    await hub.releaseLeases();
    await cluster?.stop();
    await files.close();
    await database.close();
  });
  return app;
}

/** Connects to the Redis the instances share; a Redis that does not answer stops the start. */
async function joinCluster(
  url: string,
  prefix: string,
  instanceId: string,
  metrics: ReturnType<typeof createMetrics>,
  logger: FastifyInstance['log'],
): Promise<ClusterNode> {
  const commands = createRedisConnection(url, `parley-${instanceId}`);
  const subscriber = createRedisConnection(url, `parley-${instanceId}-sub`);
  try {
    await Promise.all([connectRedis(commands, 10_000), connectRedis(subscriber, 10_000)]);
  } catch (error) {
    commands.disconnect();
    subscriber.disconnect();
    throw error;
  }
  return new ClusterNode(commands, subscriber, clusterKeys(prefix), instanceId, defaultLeaseTiming, {
    forwarded: () => metrics.forwarded.inc(),
    fanoutLag: (seconds) => metrics.fanoutLag.observe(seconds),
  }, logger);
}
