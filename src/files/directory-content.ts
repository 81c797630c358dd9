import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Database } from '../store/types.js';
import type { ContentKey, ContentStorage } from './content-storage.js';

/** A file on disk with no row this long after it was written is an orphan (an upload in progress is younger). */
const orphanAgeMs = 60 * 60 * 1000;
const hexName = /^[0-9a-f]{64}$/;

/**
 * Files' bytes under FILES_DIR, named only by hashes: `<sha256 of the owner>/<sha256 of the
 * content>`. No client-given name ever reaches a path, and one owner's directory says nothing
 * of another's.
 */
export function createDirectoryContent(directory: string, database: Database): ContentStorage {
  const ownerDirectory = (ownerKey: string) => join(directory, createHash('sha256').update(ownerKey).digest('hex'));
  const pathOf = (key: ContentKey) => {
    if (!hexName.test(key.sha256)) throw new Error('A content key must be a SHA-256 in hex.');
    return join(ownerDirectory(key.owner_key), key.sha256);
  };
  return {
    kind: 'directory',
    async write(key, path) {
      await mkdir(ownerDirectory(key.owner_key), { recursive: true, mode: 0o700 });
      // The same hash is the same bytes: replacing an existing copy changes nothing but its age.
      await rename(path, pathOf(key));
    },
    // A racing sweep removes only files older than an hour, and this one was just written.
    ensure: async () => undefined,
    open: (key): Readable => createReadStream(pathOf(key)),
    read: (key) => readFile(pathOf(key)),
    async sweep() {
      const known = new Set(
        (await database.query<{ owner_key: string; sha256: string }>(`SELECT owner_key, sha256 FROM file_contents WHERE stored_in = 'directory'`)).map(
          (row) => pathOf(row),
        ),
      );
      let removed = 0;
      for (const owner of await readdir(directory).catch(() => [] as string[])) {
        if (!hexName.test(owner)) continue;
        for (const name of await readdir(join(directory, owner)).catch(() => [] as string[])) {
          const path = join(directory, owner, name);
          if (!hexName.test(name) || known.has(path)) continue;
          const stats = await stat(path).catch(() => null);
          if (stats === null || Date.now() - stats.mtimeMs < orphanAgeMs) continue;
          await unlink(path).catch(() => undefined);
          removed += 1;
        }
      }
      return removed;
    },
  };
}
