import { open as openFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Database, Queryable } from '../store/types.js';
import type { ContentKey, ContentStorage } from './content-storage.js';

/** One row of file_chunks: large enough for few round trips, small enough to hold a few in memory. */
export const chunkBytes = 1024 * 1024;

/**
 * Files' bytes in file_chunks, 1 MiB a row, written and read a chunk at a time, so neither an
 * upload nor a download holds a whole file. Rows go with their file_contents row (cascade).
 */
export function createDatabaseContent(database: Database): ContentStorage {
  const readChunk = async (key: ContentKey, index: number): Promise<Buffer | null> => {
    const rows = await database.query<{ data: Uint8Array }>(
      'SELECT data FROM file_chunks WHERE owner_key = $1 AND sha256 = $2 AND chunk_index = $3',
      [key.owner_key, key.sha256, index],
    );
    const data = rows[0]?.data;
    return data === undefined ? null : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  };
  return {
    kind: 'database',
    async write(transaction: Queryable, key: ContentKey, path: string): Promise<void> {
      const handle = await openFile(path, 'r');
      try {
        const buffer = Buffer.alloc(chunkBytes);
        for (let index = 0; ; index += 1) {
          const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
          if (bytesRead === 0) break;
          await transaction.query('INSERT INTO file_chunks (owner_key, sha256, chunk_index, data) VALUES ($1, $2, $3, $4::bytea)', [
            key.owner_key,
            key.sha256,
            index,
            buffer.subarray(0, bytesRead),
          ]);
        }
      } finally {
        await handle.close();
      }
    },
    open(key: ContentKey): Readable {
      let index = 0;
      return new Readable({
        highWaterMark: 1,
        objectMode: false,
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
    // The cascade from file_contents already removed them.
    sweep: async () => 0,
  };
}
