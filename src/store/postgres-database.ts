import { readFileSync } from 'node:fs';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';
import postgres from 'postgres';
import { chooseDatabaseTls, tlsUrlParameters, type DatabaseTls } from './choose-database-tls.js';
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
  readonly tls: DatabaseTls;
  readonly encrypted: boolean;
  readonly #sql: postgres.Sql;
  readonly #prepare: boolean;

  constructor(databaseUrl: string, options: PostgresOptions) {
    this.#prepare = options.prepare;
    this.tls = chooseDatabaseTls(databaseUrl);
    // Every mode but `disable` refuses a plain link, so the mode says what the link is.
    this.encrypted = this.tls.mode !== 'disable';
    this.#sql = postgres(withoutClientParameters(databaseUrl), {
      ssl: toPostgresSsl(this.tls),
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

/** postgres.js's `ssl`: `require` encrypts only; an object is handed to tls.connect. */
function toPostgresSsl(tls: DatabaseTls): false | 'require' | ConnectionOptions {
  if (tls.mode === 'disable') return false;
  if (tls.mode === 'require') return 'require';
  return {
    ...(tls.rootCertificatePath === undefined ? {} : { ca: readRootCertificate(tls.rootCertificatePath) }),
    // postgres.js leaves the name to check unset for an IP host, and Node then checks
    // "localhost"; verify-full checks the URL's host whatever its form.
    checkServerIdentity: tls.mode === 'verify-full' ? (_name, certificate) => checkServerIdentity(tls.hostname, certificate) : () => undefined,
  };
}

function readRootCertificate(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`DATABASE_URL's sslrootcert cannot be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * postgres.js sends unknown URL query parameters to the server as settings. `pgbouncer=true`
 * (a Prisma/Supabase convention) and libpq's TLS parameters are not server settings and
 * would fail the connection; the TLS ones are applied through `ssl` instead.
 */
function withoutClientParameters(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const clientParameters = ['pgbouncer', ...tlsUrlParameters].filter((name) => url.searchParams.has(name));
  if (clientParameters.length === 0) return databaseUrl;
  for (const name of clientParameters) url.searchParams.delete(name);
  return url.toString();
}
