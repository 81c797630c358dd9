import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ParleyError } from '../errors/index.js';
import type { Attachment } from '../protocol/index.js';
import type { Database } from '../store/types.js';
import type { ContentKey, ContentStorage } from './content-storage.js';

/** A file of a session, with where its bytes are. */
export interface SessionFile extends Attachment, ContentKey {
  session_id: string;
  stored_in: ContentStorage['kind'];
  /** A PDF's text, for models that cannot read PDFs. */
  extracted_text: string | null;
}

export interface NewFile extends ContentKey {
  session_id: string;
  name: string;
  media_type: string;
  size: number;
  extracted_text: string | null;
  /** The received bytes (a temporary file), moved into storage unless the owner has them already. */
  path: string;
}

interface FileRow {
  file_id: string;
  session_id: string;
  owner_key: string;
  sha256: string;
  name: string;
  media_type: string;
  size: string | number;
  stored_in: ContentStorage['kind'];
  extracted_text: string | null;
}

const fileColumns = `f.file_id, f.session_id, f.owner_key, f.sha256, f.name, f.media_type, f.size, c.stored_in, c.extracted_text`;

function toSessionFile(row: FileRow): SessionFile {
  return { ...row, size: Number(row.size) };
}

export function toAttachment(file: Pick<SessionFile, 'file_id' | 'name' | 'media_type' | 'size'>): Attachment {
  return { file_id: file.file_id, name: file.name, media_type: file.media_type, size: file.size };
}

/**
 * The files of sessions: rows in session_files and file_contents, new bytes in `content`.
 * Bytes stay where they were first stored: `stored` reads each kind (the database's always;
 * FILES_DIR's while it is set), so setting or unsetting FILES_DIR loses nothing readable.
 */
export class FileStore {
  constructor(
    private readonly database: Database,
    readonly content: ContentStorage,
    private readonly stored: Partial<Record<ContentStorage['kind'], ContentStorage>> = { [content.kind]: content },
  ) {}

  #storageOf(file: Pick<SessionFile, 'stored_in'>): ContentStorage {
    const storage = this.stored[file.stored_in];
    if (storage === undefined) throw new ParleyError('storage_unavailable', 'This file is kept under FILES_DIR, which is not set now.');
    return storage;
  }

  /**
   * Records the file for its session. Bytes the owner stored before (same hash) are not
   * written again. They are written before the short transaction that records them, which
   * locks their file_contents row (so a concurrent session delete cannot drop them) and
   * checks they are all there.
   */
  async add(file: NewFile): Promise<Attachment> {
    const fileId = `file_${randomBytes(16).toString('base64url')}`;
    const [known] = await this.database.query<{ stored_in: ContentStorage['kind'] }>('SELECT stored_in FROM file_contents WHERE owner_key = $1 AND sha256 = $2', [file.owner_key, file.sha256]);
    const storage = known ? this.#storageOf(known) : this.content;
    if (known === undefined) await storage.write(file, file.path);
    await this.database.transaction(async (transaction) => {
      await transaction.query(
        `INSERT INTO file_contents (owner_key, sha256, size, media_type, stored_in, extracted_text)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (owner_key, sha256) DO UPDATE SET owner_key = EXCLUDED.owner_key`,
        [file.owner_key, file.sha256, file.size, file.media_type, storage.kind, file.extracted_text],
      );
      await storage.ensure(transaction, file, file.size, file.path);
      await transaction.query(
        `INSERT INTO session_files (file_id, session_id, owner_key, sha256, name, media_type, size) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [fileId, file.session_id, file.owner_key, file.sha256, file.name, file.media_type, file.size],
      );
    });
    return { file_id: fileId, name: file.name, media_type: file.media_type, size: file.size };
  }

  async countForSession(sessionId: string): Promise<number> {
    const [row] = await this.database.query<{ count: string | number }>('SELECT count(*) AS count FROM session_files WHERE session_id = $1', [sessionId]);
    return Number(row?.count ?? 0);
  }

  /** The session's file with this id, or null (another session's files are not found either). */
  async find(sessionId: string, fileId: string): Promise<SessionFile | null> {
    const rows = await this.database.query<FileRow>(
      `SELECT ${fileColumns} FROM session_files f JOIN file_contents c USING (owner_key, sha256) WHERE f.session_id = $1 AND f.file_id = $2`,
      [sessionId, fileId],
    );
    return rows[0] ? toSessionFile(rows[0]) : null;
  }

  /**
   * The attachments a message names, in its order, each once; `bad_attachment` naming the
   * first id this session does not have.
   */
  async resolve(sessionId: string, fileIds: readonly string[]): Promise<Attachment[]> {
    const wanted = [...new Set(fileIds)];
    if (wanted.length === 0) return [];
    const rows = await this.database.query<FileRow>(
      `SELECT ${fileColumns} FROM session_files f JOIN file_contents c USING (owner_key, sha256) WHERE f.session_id = $1 AND f.file_id IN (SELECT jsonb_array_elements_text($2::text::jsonb))`,
      [sessionId, JSON.stringify(wanted)],
    );
    const byId = new Map(rows.map((row) => [row.file_id, toAttachment(toSessionFile(row))]));
    return wanted.map((fileId) => {
      const attachment = byId.get(fileId);
      if (attachment === undefined) {
        throw new ParleyError('bad_attachment', `This session has no file "${fileId}"; upload it with POST /api/sessions/{id}/files first.`);
      }
      return attachment;
    });
  }

  /** Files by id, with their extracted text (what a model request needs besides the bytes). */
  async load(fileIds: readonly string[]): Promise<SessionFile[]> {
    if (fileIds.length === 0) return [];
    const rows = await this.database.query<FileRow>(
      `SELECT ${fileColumns} FROM session_files f JOIN file_contents c USING (owner_key, sha256) WHERE f.file_id IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
      [JSON.stringify(fileIds)],
    );
    return rows.map(toSessionFile);
  }

  open(file: SessionFile): Readable {
    return this.#storageOf(file).open(file);
  }

  read(file: SessionFile): Promise<Buffer> {
    return this.#storageOf(file).read(file);
  }

  /** Removes bytes no file refers to any more, in every storage; how many pieces went. */
  async sweep(): Promise<number> {
    let removed = 0;
    for (const storage of Object.values(this.stored)) removed += await storage.sweep();
    return removed;
  }
}
