import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated in-memory PGlite's data directory, as a tarball file (test/support/global-setup.ts). */
    pgliteTemplate: string;
    /** A migrated PGlite data directory on disk, to copy (test/support/server-databases.ts). */
    pgliteDataDirTemplate: string;
  }
}

let template: Promise<Uint8Array> | undefined;

/**
 * An in-memory PGlite, migrated, started from the run's template instead of its own initdb
 * (2-8 s each on this machine; a copy starts in under one). Outside vitest's global setup,
 * a plain one.
 */
export async function openTemplateDatabase(): Promise<PgliteDatabase> {
  const path = inject('pgliteTemplate');
  template ??= path ? readFile(path) : Promise.resolve(new Uint8Array());
  const dump = await template;
  const database = await PgliteDatabase.open('memory://', dump.length > 0 ? { fromDump: dump } : {});
  await migrate(database);
  return database;
}

/**
 * A new PGlite data directory, migrated: a copy of the run's (global-setup.ts), so a test
 * whose server keeps its data on disk skips initdb. Empty outside vitest's global setup.
 */
export async function migratedDataDir(prefix: string): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const template = inject('pgliteDataDirTemplate');
  if (template) await cp(template, dataDir, { recursive: true });
  return dataDir;
}
