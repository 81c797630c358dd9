import { afterAll, expect, it } from 'vitest';
import { inMemoryDataDir, PgliteDatabase } from '../../src/store/pglite-database.js';

const database = await PgliteDatabase.open(inMemoryDataDir);
afterAll(() => database.close());

it("runs a long statement on the embedded database without holding up the server's thread", async () => {
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 10);
  const startedAt = performance.now();
  const [row] = await database.query<{ total: number }>('SELECT count(*)::int AS total FROM generate_series(1, 2000000)');
  const tookMs = performance.now() - startedAt;
  clearInterval(timer);

  expect(row?.total).toBe(2_000_000);
  // On the server's own thread the timer could not fire until the statement ended: one tick at most.
  expect(tookMs).toBeGreaterThan(100);
  expect(ticks).toBeGreaterThanOrEqual(Math.floor(tookMs / 10 / 4));
});

it('prepares each statement once and reuses it, with values serialized by type and rows parsed as before', async () => {
  await database.query('CREATE TABLE prepared_probe (id int8 PRIMARY KEY, doc jsonb, at timestamptz, note text)');
  const insert = 'INSERT INTO prepared_probe (id, doc, at, note) VALUES ($1, $2::text::jsonb, $3::text::timestamptz, $4)';
  await database.query(insert, [1, '{"a":[1,2]}', '2026-11-25T03:00:00.000Z', null]);
  await database.query(insert, [2, '{"b":true}', '2026-11-25T03:00:01.000Z', 'second']);

  const rows = await database.query('SELECT id, doc, at, note FROM prepared_probe WHERE id >= $1 ORDER BY id', [1]);
  expect(rows).toStrictEqual([
    { id: 1, doc: { a: [1, 2] }, at: new Date('2026-11-25T03:00:00.000Z'), note: null },
    { id: 2, doc: { b: true }, at: new Date('2026-11-25T03:00:01.000Z'), note: 'second' },
  ]);
  const prepared = await database.query<{ count: number }>('SELECT count(*)::int AS count FROM pg_prepared_statements WHERE statement = $1', [insert]);
  expect(prepared[0]?.count).toBe(1);
});

it('reports a failing statement and keeps serving it once the cause is gone', async () => {
  await database.query('CREATE TABLE unique_probe (id int PRIMARY KEY)');
  const insert = 'INSERT INTO unique_probe (id) VALUES ($1)';
  await database.query(insert, [1]);
  await expect(database.query(insert, [1])).rejects.toMatchObject({ code: '23505' });
  await expect(database.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });
  await expect(database.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });

  await database.query(insert, [2]);
  expect(await database.query('SELECT id FROM unique_probe ORDER BY id')).toStrictEqual([{ id: 1 }, { id: 2 }]);
});

it("waits for an open transaction to end instead of running inside it, so a rollback never takes another caller's write", async () => {
  await database.query('CREATE TABLE isolation_probe (who text)');
  let outside: Promise<unknown> | undefined;
  await expect(
    database.transaction(async (transaction) => {
      await transaction.query("INSERT INTO isolation_probe VALUES ('transaction')");
      outside = database.query("INSERT INTO isolation_probe VALUES ('outside')");
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  await outside;

  expect(await database.query('SELECT who FROM isolation_probe')).toStrictEqual([{ who: 'outside' }]);
});
