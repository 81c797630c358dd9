import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AttachmentLoader } from '../llm/attachment-content.js';
import type { Database } from '../store/types.js';
import type { UploadPolicy } from './accept-upload.js';
import { createDatabaseContent } from './database-content.js';
import { createDirectoryContent } from './directory-content.js';
import type { FileSettings } from './file-settings.js';
import { FileStore } from './file-store.js';
import { createAttachmentLoader } from './load-attachments.js';

/** How often storage is swept for bytes no file refers to (deleted sessions, failed uploads). */
const sweepEveryMs = 60 * 60 * 1000;

export interface FileService {
  store: FileStore;
  policy: UploadPolicy;
  loadAttachments: AttachmentLoader;
  /** Stops the sweep and removes uploads still being received. */
  close(): Promise<void>;
}

/**
 * Files as the settings say: bytes in the database, or under FILES_DIR (swept at start and
 * hourly for bytes no file refers to any more). Uploads are received next to where they are
 * kept, so storing one under FILES_DIR is a rename.
 */
export async function createFileService(settings: FileSettings, database: Database, onSweepError: (error: unknown) => void): Promise<FileService> {
  let incomingDirectory: string;
  const inDatabase = createDatabaseContent(database);
  let store: FileStore;
  if (settings.FILES_DIR) {
    const directory = resolve(settings.FILES_DIR);
    incomingDirectory = join(directory, 'incoming');
    await mkdir(incomingDirectory, { recursive: true, mode: 0o700 });
    const inDirectory = createDirectoryContent(directory, database);
    store = new FileStore(database, inDirectory, { database: inDatabase, directory: inDirectory });
  } else {
    incomingDirectory = await mkdtemp(join(tmpdir(), 'parley-uploads-'));
    store = new FileStore(database, inDatabase);
  }
  const sweep = () => void store.sweep().catch(onSweepError);
  sweep();
  const timer = setInterval(sweep, sweepEveryMs).unref();
  return {
    store,
    policy: { maxFileBytes: settings.MAX_FILE_BYTES, allowedTypes: settings.FILE_TYPES, incomingDirectory },
    loadAttachments: createAttachmentLoader(store),
    async close() {
      clearInterval(timer);
      // Under FILES_DIR the directory stays (another instance may share it); its leftovers are removed per upload.
      if (!settings.FILES_DIR) await rm(incomingDirectory, { recursive: true, force: true });
    },
  };
}
