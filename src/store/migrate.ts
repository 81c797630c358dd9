import { readdir, readFile } from 'node:fs/promises';
import type { Database } from './types.js';

/** From src/store/ (tsx, vitest) and dist/store/ (compiled) alike, two levels up is the repo. */
export const migrationsDirectory = new URL('../../migrations/', import.meta.url);

const migrationFileName = /^(\d+)_[\w-]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  /** The file's text: PGlite's `exec` and postgres.js's simple protocol run several statements. */
  script: string;
}

export async function readMigrations(directory: URL = migrationsDirectory): Promise<Migration[]> {
  const names = await readdir(directory);
  const migrations: Migration[] = [];
  for (const name of names) {
    const match = migrationFileName.exec(name);
    if (!match) continue;
    const text = await readFile(new URL(name, directory), 'utf8');
    migrations.push({ version: Number(match[1]), name, script: text });
  }
  migrations.sort((left, right) => left.version - right.version);
  for (let index = 1; index < migrations.length; index += 1) {
    if (migrations[index]?.version === migrations[index - 1]?.version) {
      throw new Error(`Two migrations share version ${migrations[index]?.version}: rename one.`);
    }
  }
  return migrations;
}

/**
 * Applies every migration not yet recorded in schema_migrations, in order, each in its own
 * transaction. Each transaction first takes an advisory lock scoped to the current schema,
 * so two instances starting together apply each file once: the second waits, then sees it
 * recorded. Returns the versions this call applied.
 */
export async function migrate(database: Database, directory: URL = migrationsDirectory): Promise<number[]> {
  const migrations = await readMigrations(directory);
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await database.transaction(async (transaction) => {
      await transaction.query(`SELECT pg_advisory_xact_lock(hashtext('parley_migrations:' || current_schema()))`);
      await transaction.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const existing = await transaction.query(`SELECT 1 FROM schema_migrations WHERE version = $1`, [migration.version]);
      if (existing.length > 0) return false;
      await transaction.exec(migration.script);
      await transaction.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}
