import { open as openFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Database, Queryable } from '../store/types.js';
import type { ContentKey, ContentStorage } from './content-storage.js';

/** One row of file_chunks: large enough for few round trips, small enough to hold a few in memory. */
export const chunkBytes = 1024 * 1024;

const insertChunkSql = `INSERT INTO file_chunks (owner_key, sha256, chunk_index, data) VALUES ($1, $2, $3, decode($4, 'base64'))
  ON CONFLICT (owner_key, sha256, chunk_index) DO NOTHING`;

/**
 * Files' bytes in file_chunks, 1 MiB a row, written and read a chunk at a time, each in its
 * own statement, so neither an upload nor a download holds a whole file or the database.
 * The bytes cross the driver as base64 text: PGlite's own bytea conversion took 2.5 s per
 * MiB each way, base64 a few milliseconds.
 */
export function createDatabaseContent(database: Database): ContentStorage {
  const readChunk = async (key: ContentKey, index: number): Promise<Buffer | null> => {
    const rows = await database.query<{ data: string }>(
      `SELECT encode(data, 'base64') AS data FROM file_chunks WHERE owner_key = $1 AND sha256 = $2 AND chunk_index = $3`,
      [key.owner_key, key.sha256, index],
    );
    const data = rows[0]?.data;
    return data === undefined ? null : Buffer.from(data, 'base64');
  };
  const writeChunks = async (target: Queryable, key: ContentKey, path: string, only?: ReadonlySet<number>) => {
    const handle = await openFile(path, 'r');
    try {
      const buffer = Buffer.alloc(chunkBytes);
      for (let index = 0; ; index += 1) {
        const { bytesRead } = await handle.read(buffer, 0, chunkBytes, index * chunkBytes);
        if (bytesRead === 0) break;
        if (only && !only.has(index)) continue;
        await target.query(insertChunkSql, [key.owner_key, key.sha256, index, buffer.subarray(0, bytesRead).toString('base64')]);
      }
    } finally {
      await handle.close();
    }
  };
  return {
    kind: 'database',
    write: (key, path) => writeChunks(database, key, path),
    async ensure(transaction, key, size, path) {
      const expected = Math.ceil(size / chunkBytes);
      const rows = await transaction.query<{ chunk_index: number }>('SELECT chunk_index FROM file_chunks WHERE owner_key = $1 AND sha256 = $2', [key.owner_key, key.sha256]);
      if (rows.length === expected) return;
      const present = new Set(rows.map((row) => Number(row.chunk_index)));
      const missing = new Set(Array.from({ length: expected }, (_, index) => index).filter((index) => !present.has(index)));
      await writeChunks(transaction, key, path, missing);
    },
    open(key: ContentKey): Readable {
      let index = 0;
      return new Readable({
        highWaterMark: 1,
        read() {
          readChunk(key, index).then(
            (chunk) => {
              index += 1;
              this.push(chunk);
            },
            (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
          );
        },
      });
    },
    async read(key: ContentKey): Promise<Buffer> {
      const chunks: Buffer[] = [];
      for (let index = 0; ; index += 1) {
        const chunk = await readChunk(key, index);
        if (chunk === null) break;
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    },
    async sweep() {
      const removed = await database.query(
        `DELETE FROM file_chunks c WHERE c.created_at < now() - interval '1 hour'
           AND NOT EXISTS (SELECT FROM file_contents f WHERE f.owner_key = c.owner_key AND f.sha256 = c.sha256)
         RETURNING 1`,
      );
      return removed.length;
    },
  };
}
