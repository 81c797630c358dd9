import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../../src/app.js';
import { loadSettings } from '../../src/config.js';
import { openTemplateDatabase } from './pglite-template.js';

export interface RunningServer {
  app: FastifyInstance;
  /** ws://127.0.0.1:PORT */
  wsUrl: string;
  /** http://127.0.0.1:PORT */
  httpUrl: string;
  close(): Promise<void>;
}

/**
 * The whole server on an ephemeral port with in-memory PGlite (from the run's migrated
 * template, test/support/pglite-template.ts) and the offline model.
 * Settings come only from `overrides`, never from the developer's environment.
 */
export async function startServer(overrides: Record<string, string> = {}, options: BuildOptions = {}): Promise<RunningServer> {
  const settings = loadSettings({
    DATA_DIR: 'memory://',
    OFFLINE_TOKEN_DELAY_MS: '1',
    FINALIZE_GRACE_MS: '100',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_HTTP_PER_MINUTE: '0',
    RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
    ...overrides,
  });
  const inMemory = settings.DATABASE_URL === undefined && settings.DATA_DIR === 'memory://' && options.database === undefined;
  const app = await buildApp(settings, inMemory ? { ...options, database: openTemplateDatabase() } : options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    close: () => app.close(),
  };
}
