import { analyticsSql } from '../src/analytics/read-analytics.js';
import { migrate } from '../src/store/migrate.js';
import { PostgresDatabase } from '../src/store/postgres-database.js';
import { createBenchDatabase, dropBenchDatabase } from './bench-database.js';
const admin = 'postgres://postgres@127.0.0.1:5432/test';
const name = `parley_explain_${process.pid}`;
const url = await createBenchDatabase(admin, name);
const db = new PostgresDatabase(url, { prepare: false, poolSize: 1 });
try {
  await migrate(db);
  const src = (await import('node:fs')).readFileSync('bench/analytics.ts', 'utf8');
  const m = /const seedSql = \[([\s\S]*?)\n\];/.exec(src)!;
  const statements = eval(`[${m[1].replace(/\$\{days\}/g, '30')}]`.replace(/`/g, '`')) as string[];
  const end = '2026-03-31T00:00:00.000Z';
  for (const s of statements) await db.query(s, s.includes('$2') ? [end, 100000] : [end]);
  await db.query('ANALYZE');
  const rows = await db.query<{ 'QUERY PLAN': string }>('EXPLAIN (ANALYZE, BUFFERS) ' + analyticsSql(false).replace('$1::timestamptz', "'2026-03-01'::timestamptz").replace('$2::timestamptz', "'2026-03-31'::timestamptz").replaceAll('$3::text', "'day'::text"));
  console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
} finally {
  await db.close();
  await dropBenchDatabase(admin, name);
}
