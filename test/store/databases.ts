import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { migrate } from '../../src/store/migrate.js';
import { inMemoryDataDir, PgliteDatabase } from '../../src/store/pglite-database.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import type { Database } from '../../src/store/types.js';

/**
 * The databases every store suite runs against: PGlite in memory always, and a real
 * PostgreSQL server when TEST_DATABASE_URL is set (each test file in a schema of its own,
 * dropped afterwards, so files run in parallel against one database). In CI the PostgreSQL
 * variant is required: without the URL its tests fail instead of vanishing.
 */
export interface TestDatabase {
  kind: Database['kind'];
  database: Database;
  /** Another connection to the same data (PGlite: the same instance, one thread owns it). */
  connect(): Promise<Database>;
  dispose(): Promise<void>;
}

export interface DatabaseVariant {
  kind: Database['kind'];
  create(options?: { migrate?: boolean }): Promise<TestDatabase>;
}

const pgliteVariant: DatabaseVariant = {
  kind: 'pglite',
  async create({ migrate: shouldMigrate = true } = {}) {
    const database = await PgliteDatabase.open(inMemoryDataDir);
    if (shouldMigrate) await migrate(database);
    return { kind: 'pglite', database, connect: () => Promise.resolve(database), dispose: () => database.close() };
  },
};

const postgresVariant = (databaseUrl: string | undefined): DatabaseVariant => ({
  kind: 'postgres',
  async create({ migrate: shouldMigrate = true } = {}) {
    if (!databaseUrl) {
      throw new Error(
        'TEST_DATABASE_URL is not set: CI must run the store tests against PostgreSQL too ' +
          '(e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test).',
      );
    }
    const schema = `parley_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    const url = new URL(databaseUrl);
    url.searchParams.set('search_path', schema);
    const opened: Database[] = [];
    // The first connection prepares statements (unless TEST_DATABASE_PREPARE=false, as behind a
    // transaction pooler), the others never do, so both modes are exercised.
    const connect = (prepare: boolean) => {
      const database = new PostgresDatabase(url.toString(), { prepare, poolSize: 4 });
      opened.push(database);
      return Promise.resolve(database);
    };
    const database = await connect(process.env.TEST_DATABASE_PREPARE !== 'false');
    if (shouldMigrate) await migrate(database);
    return {
      kind: 'postgres',
      database,
      connect: () => connect(false),
      async dispose() {
        await Promise.all(opened.map((each) => each.close()));
        await admin.unsafe(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      },
    };
  },
});

function variants(): DatabaseVariant[] {
  const databaseUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;
  const requirePostgres = process.env.CI === 'true';
  return databaseUrl || requirePostgres ? [pgliteVariant, postgresVariant(databaseUrl)] : [pgliteVariant];
}

export const databaseVariants = variants();
