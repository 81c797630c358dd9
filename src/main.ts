import 'dotenv/config';
import { buildApp } from './app.js';
import { loadSettings, SettingsError, type Settings } from './config.js';

/** Starts Parley: settings, the app, listen; SIGTERM/SIGINT shut it down gracefully (exit 0). */
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

  const app = await buildApp(settings);
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
    { provider, model: modelId, database: app.parley.database.kind },
    'Parley is ready',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Parley could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
