import { PGlite } from '@electric-sql/pglite';
import { afterAll, expect, it } from 'vitest';
import { preparedQueries } from '../../src/store/pglite-prepared.js';

const pglite = await PGlite.create();
afterAll(() => pglite.close());

it('prepares at most the set number of statements and runs the texts past it unprepared, with the same rows', async () => {
  const query = preparedQueries(pglite, { maxStatements: 2 });

  expect(await query('SELECT $1::int AS one', [1])).toStrictEqual([{ one: 1 }]);
  expect(await query('SELECT $1::text AS two', ['2'])).toStrictEqual([{ two: '2' }]);
  expect(await query('SELECT $1::int + 1 AS three', [2])).toStrictEqual([{ three: 3 }]);
  expect(await query('SELECT $1::int AS one', [4])).toStrictEqual([{ one: 4 }]);

  const { rows } = await pglite.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY name');
  expect(rows.map((row) => row.statement)).toStrictEqual(['SELECT $1::int AS one', 'SELECT $1::text AS two']);
});
