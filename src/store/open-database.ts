import { explainTlsFailure } from './explain-tls-failure.js';
import { migrate } from './migrate.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';
import type { Database } from './types.js';

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; unset: embedded PGlite under `dataDir`. */
  databaseUrl?: string | undefined;
  /** PGlite's directory (created when missing), or `memory://`. */
  dataDir: string;
  prepare: 'auto' | 'true' | 'false';
  poolSize: number;
}

/**
 * Picks the driver from the settings and brings the schema up to date before returning. A
 * server's link is encrypted as the URL decides (choose-database-tls.ts).
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const database = options.databaseUrl
    ? new PostgresDatabase(options.databaseUrl, {
        prepare: usePreparedStatements(options.databaseUrl, options.prepare),
        poolSize: options.poolSize,
      })
    : await PgliteDatabase.open(options.dataDir);
  try {
    await migrate(database);
  } catch (error) {
    await database.close().catch(() => {});
    throw database instanceof PostgresDatabase ? explainTlsFailure(error, database.tls) : error;
  }
  return database;
}

/**
 * 'auto': off behind a transaction pooler (Supabase's pooler host, port 6543, or
 * `pgbouncer=true`), where a prepared statement may land on another server connection.
 */
export function usePreparedStatements(databaseUrl: string, prepare: 'auto' | 'true' | 'false'): boolean {
  if (prepare !== 'auto') return prepare === 'true';
  const url = new URL(databaseUrl);
  const behindPooler =
    url.hostname.includes('pooler.supabase.com') || url.port === '6543' || url.searchParams.get('pgbouncer') === 'true';
  return !behindPooler;
}
