import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import postgres from 'postgres';
import { migratedDataDir } from './pglite-template.js';

/**
 * Where a whole server keeps its data in a test: PGlite in a temporary directory (so a
 * restarted server finds it again), copied from the run's migrated one (global-setup.ts), and a PostgreSQL schema of its own when
 * TEST_DATABASE_URL is set (required in CI, as for the store suites).
 */
export interface ServerDatabase {
  /** Settings to pass to startServer; the same for a restart. */
  settings: Record<string, string>;
  dispose(): Promise<void>;
}

export interface ServerDatabaseVariant {
  kind: 'pglite' | 'postgres';
  create(): Promise<ServerDatabase>;
}

const pglite: ServerDatabaseVariant = {
  kind: 'pglite',
  async create() {
    const dataDir = await migratedDataDir('parley-server-');
    return { settings: { DATA_DIR: dataDir }, dispose: () => rm(dataDir, { recursive: true, force: true }) };
  },
};

const postgresVariant = (databaseUrl: string | undefined): ServerDatabaseVariant => ({
  kind: 'postgres',
  async create() {
    if (!databaseUrl) throw new Error('TEST_DATABASE_URL is not set: CI must run these tests against PostgreSQL too.');
    const schema = `parley_server_${randomBytes(5).toString('hex')}`;
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    const url = new URL(databaseUrl);
    url.searchParams.set('search_path', schema);
    return {
      settings: { DATABASE_URL: url.toString() },
      async dispose() {
        await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      },
    };
  },
});

function variants(): ServerDatabaseVariant[] {
  const databaseUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;
  return databaseUrl || process.env.CI === 'true' ? [pglite, postgresVariant(databaseUrl)] : [pglite];
}

export const serverDatabaseVariants = variants();
