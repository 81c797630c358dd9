import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/store/migrate.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';

/**
 * Once per run, migrated PGlite databases for tests to start from instead of each running
 * initdb (2-8 s apiece on a 2-core machine): an in-memory one dumped to a tarball
 * (startServer), and a data directory on disk (serverDatabaseVariants' PGlite) to copy.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const directory = await mkdtemp(join(tmpdir(), 'parley-pglite-template-'));
  const [tarball, dataDir] = await Promise.all([migratedMemoryDump(join(directory, 'template.tar')), migratedDataDir(join(directory, 'data'))]);
  project.provide('pgliteTemplate', tarball);
  project.provide('pgliteDataDirTemplate', dataDir);
  return () => rm(directory, { recursive: true, force: true });
}

async function migratedMemoryDump(path: string): Promise<string> {
  const database = await PgliteDatabase.open('memory://');
  await migrate(database);
  await writeFile(path, await database.dump());
  await database.close();
  return path;
}

async function migratedDataDir(path: string): Promise<string> {
  await mkdir(path);
  const database = await PgliteDatabase.open(path);
  await migrate(database);
  await database.close();
  return path;
}
