import 'dotenv/config';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { pino } from 'pino';
import { resolveWorkerCount } from './cluster/resolve-worker-count.js';
import { runWorkers } from './cluster/run-workers.js';
import { loadSettings, SettingsError, type Settings } from './config.js';

/**
 * Starts Parley: settings, the app, listen; SIGTERM/SIGINT shut it down gracefully (exit 0).
 * With WORKERS > 1 this process is the primary: it forks the workers, which run this again.
 */
async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const workers = resolveWorkerCount(settings, availableParallelism());
  if ('refusal' in workers) {
    process.stderr.write(`${workers.refusal}\n`);
    process.exit(1);
  }
  if (workers.count > 1 && cluster.isPrimary) {
    // A worker's shutdown: turns (SHUTDOWN_TIMEOUT_MS), then events and progress (as long each), then the sockets' close.
    const stopTimeoutMs = settings.SHUTDOWN_TIMEOUT_MS * 3 + 5_000;
    process.exit(await runWorkers({ count: workers.count, logger: pino({ level: settings.LOG_LEVEL }), stopTimeoutMs }));
  }

  // Loaded here, not at the top: a primary that only forks workers never loads the server.
  // The database opens (PGlite in its worker thread) while the server's modules load: about
  // half a second of each overlaps (docs/benchmarks.md, start time).
  const { openConfiguredDatabase } = await import('./store/open-configured-database.js');
  const database = openConfiguredDatabase(settings);
  database.catch(() => undefined);
  const { buildApp } = await import('./app.js');
  const app = await buildApp(settings, { database });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: settings.PORT, host: settings.HOST });
  const { provider, modelId } = app.parley.runner;
  app.log.info(
    { provider, model: modelId, database: app.parley.database.kind, instanceId: app.parley.instanceId, redis: app.parley.cluster !== null },
    'Parley is ready',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Parley could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
