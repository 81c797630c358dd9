import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

/**
 * The databases a whole-server suite runs on: embedded PGlite (in a directory of its own, so
 * a restarted server finds its data) always, and a real PostgreSQL
 * server (a schema of its own, dropped afterwards) when TEST_DATABASE_URL is set; in CI the
 * PostgreSQL variant is required, as in test/store/databases.ts.
 */
export interface ServerDatabase {
  kind: 'pglite' | 'postgres';
  /** Settings for startServer(); the same each call, so a restarted server finds its data. */
  settings: Record<string, string>;
  dispose(): Promise<void>;
}

export interface ServerDatabaseVariant {
  kind: ServerDatabase['kind'];
  create(): Promise<ServerDatabase>;
}

const pglite: ServerDatabaseVariant = {
  kind: 'pglite',
  async create() {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-users-'));
    return { kind: 'pglite', settings: { DATA_DIR: dataDir }, dispose: () => rm(dataDir, { recursive: true, force: true }) };
  },
};

const postgresServer = (databaseUrl: string | undefined): ServerDatabaseVariant => ({
  kind: 'postgres',
  async create() {
    if (!databaseUrl) throw new Error('TEST_DATABASE_URL is not set: CI must run these tests against PostgreSQL too.');
    const schema = `parley_users_${randomBytes(5).toString('hex')}`;
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    const url = new URL(databaseUrl);
    url.searchParams.set('search_path', schema);
    return {
      kind: 'postgres',
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
  return databaseUrl || process.env.CI === 'true' ? [pglite, postgresServer(databaseUrl)] : [pglite];
}

export const serverDatabases = variants();
