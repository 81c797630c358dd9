import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createSessionStore } from '../../src/store/session-store.js';
import { databaseVariants, type TestDatabase } from './databases.js';

describe.each(databaseVariants)('migrations on $kind', (variant) => {
  let testDatabase: TestDatabase | undefined;
  afterEach(async () => {
    await testDatabase?.dispose();
    testDatabase = undefined;
  });

  it('applies every migration once and nothing on the next start', async () => {
    testDatabase = await variant.create({ migrate: false });
    const versions = (await readMigrations()).map((migration) => migration.version);

    expect(await migrate(testDatabase.database)).toStrictEqual(versions);
    expect(await migrate(testDatabase.database)).toStrictEqual([]);
    const recorded = await testDatabase.database.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(recorded.map((row) => row.version)).toStrictEqual(versions);
  });

  it('applies each migration once when two instances start at the same time', async () => {
    testDatabase = await variant.create({ migrate: false });
    const other = await testDatabase.connect();

    const [first, second] = await Promise.all([migrate(testDatabase.database), migrate(other)]);

    const versions = (await readMigrations()).map((migration) => migration.version);
    expect([...first, ...second].sort((left, right) => left - right)).toStrictEqual(versions);
    const recorded = await testDatabase.database.query('SELECT version FROM schema_migrations');
    expect(recorded).toHaveLength(versions.length);
  });
});

describe('an embedded database kept in DATA_DIR', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps sessions and events across a restart, and migrates only the first time', async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'parley-store-')), 'nested', 'data');
    const options = { dataDir, prepare: 'auto', poolSize: 1 } as const;

    const first = await openDatabase(options);
    const store = createSessionStore(first);
    await store.openSession('kept', 'user-1');
    await store.appendEvents([{ session_id: 'kept', event_type: 'user_message', content: 'still here?', metadata: {}, seq: 1 }]);
    await first.close();

    const second = await openDatabase(options);
    const reopened = createSessionStore(second);
    expect(await migrate(second)).toStrictEqual([]);
    expect((await reopened.getSession('kept'))?.user_id).toBe('user-1');
    expect((await reopened.loadEvents('kept')).map((event) => event.content)).toStrictEqual(['still here?']);
    await second.close();
  });
});
