import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable } from './types.js';

export const inMemoryDataDir = 'memory://';

/**
 * Embedded PostgreSQL (WASM) in one process: the default when no DATABASE_URL is set.
 * bigint columns come back as numbers, as from the postgres.js driver.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  /** Statements sent to PGlite so far, so tests can count round trips. */
  queryCount = 0;

  private constructor(private readonly pglite: PGlite) {}

  /** `dataDir` is created when missing; `memory://` keeps nothing on disk. */
  static async open(dataDir: string): Promise<PgliteDatabase> {
    let location = dataDir;
    if (dataDir !== inMemoryDataDir) {
      location = resolve(dataDir);
      await mkdir(location, { recursive: true });
    }
    const pglite = await PGlite.create(location, { parsers: { [types.INT8]: (value: string) => Number(value) } });
    return new PgliteDatabase(pglite);
  }

  async query<Row = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<Row[]> {
    this.queryCount += 1;
    const result = await this.pglite.query<Row>(text, params);
    return result.rows;
  }

  async transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction(async (transaction) =>
      work({
        query: async <Row = Record<string, unknown>>(text: string, params: unknown[] = []) => {
          this.queryCount += 1;
          const result = await transaction.query<Row>(text, params);
          return result.rows;
        },
      }),
    );
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
