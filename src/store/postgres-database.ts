import postgres from 'postgres';
import type { Database, Queryable } from './types.js';

export interface PostgresOptions {
  /** Off for transaction poolers (Supabase port 6543, PgBouncer), which cannot keep prepared statements. */
  prepare: boolean;
  poolSize: number;
  connectTimeoutSeconds?: number;
}

/**
 * A PostgreSQL server through postgres.js. Queries go through `unsafe(text, params)` so
 * both drivers run the same SQL text; bigint columns come back as numbers (ids and seq
 * stay far below 2^53).
 */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly #sql: postgres.Sql;
  readonly #prepare: boolean;

  constructor(databaseUrl: string, options: PostgresOptions) {
    this.#prepare = options.prepare;
    this.#sql = postgres(withoutPoolerHints(databaseUrl), {
      prepare: options.prepare,
      max: options.poolSize,
      connect_timeout: options.connectTimeoutSeconds ?? 10,
      onnotice: () => {},
      types: {
        bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) },
      },
    });
  }

  async query<Row = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<Row[]> {
    return run<Row>(this.#sql, text, params, this.#prepare);
  }

  async exec(script: string): Promise<void> {
    await this.#sql.unsafe(script).simple();
  }

  async transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    const result = await this.#sql.begin((transaction) =>
      work({
        query: <Row = Record<string, unknown>>(text: string, params: unknown[] = []) => run<Row>(transaction, text, params, this.#prepare),
        exec: async (script: string) => {
          await transaction.unsafe(script).simple();
        },
      }),
    );
    return result as T;
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}

async function run<Row>(sql: postgres.Sql | postgres.TransactionSql, text: string, params: unknown[], prepare: boolean): Promise<Row[]> {
  const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare });
  return [...rows] as Row[];
}

/**
 * postgres.js sends unknown URL query parameters to the server as settings; `pgbouncer=true`
 * (a Prisma/Supabase convention) is not a server setting and would fail the connection.
 */
function withoutPoolerHints(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('pgbouncer')) return databaseUrl;
  url.searchParams.delete('pgbouncer');
  return url.toString();
}
