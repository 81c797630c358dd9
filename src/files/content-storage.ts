import type { Readable } from 'node:stream';
import type { Queryable } from '../store/types.js';

/** A content's key: one copy per owner and hash, so owners never share (or learn of) each other's files. */
export interface ContentKey {
  owner_key: string;
  sha256: string;
}

/**
 * Where files' bytes live: the database (the default, so backups and Supabase hold
 * everything) or FILES_DIR. The file_contents row is the database's either way.
 */
export interface ContentStorage {
  readonly kind: 'database' | 'directory';
  /** Stores the bytes of the received upload at `path`, before the rows that refer to them. */
  write(key: ContentKey, path: string): Promise<void>;
  /**
   * Inside the transaction that records the file, with its file_contents row locked: makes
   * sure every byte is there (a delete racing the upload may have taken them), writing again
   * from `path` what is missing.
   */
  ensure(transaction: Queryable, key: ContentKey, size: number, path: string): Promise<void>;
  /** The bytes as a stream, a chunk at a time. */
  open(key: ContentKey): Readable;
  /** The bytes whole (what a model request carries). */
  read(key: ContentKey): Promise<Buffer>;
  /** Removes bytes no file_contents row refers to any more; how many pieces went. */
  sweep(): Promise<number>;
}
