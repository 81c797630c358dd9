import type { Settings } from '../config.js';
import { openDatabase } from './open-database.js';
import type { Database } from './types.js';

/** The database the settings name, opened and migrated. */
export function openConfiguredDatabase(settings: Pick<Settings, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_PREPARE' | 'DATABASE_POOL_SIZE'>): Promise<Database> {
  return openDatabase({
    ...(settings.DATABASE_URL ? { databaseUrl: settings.DATABASE_URL } : {}),
    dataDir: settings.DATA_DIR,
    prepare: settings.DATABASE_PREPARE,
    poolSize: settings.DATABASE_POOL_SIZE,
  });
}
