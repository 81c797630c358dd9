import { ParleyError } from '../errors/index.js';
import type { AttachmentContent, AttachmentLoader } from '../llm/attachment-content.js';
import type { FileStore } from './file-store.js';

/**
 * The files a model request carries, read whole from storage (a request holds them whole
 * anyway, as base64): a text file's text decoded, a PDF's extracted text beside its bytes.
 * Storage that fails fails the turn as `storage_unavailable`.
 */
export function createAttachmentLoader(files: FileStore): AttachmentLoader {
  return async (attachments) => {
    try {
      const rows = await files.load(attachments.map((attachment) => attachment.file_id));
      return await Promise.all(
        rows.map(async (row): Promise<AttachmentContent> => {
          const data = await files.read(row);
          const text = row.media_type === 'text/plain' ? data.toString('utf8') : row.extracted_text;
          return { file_id: row.file_id, name: row.name, media_type: row.media_type, size: row.size, data, ...(text === null ? {} : { text }) };
        }),
      );
    } catch (error) {
      throw new ParleyError('storage_unavailable', 'The attached files could not be read from storage; retry the message.', { cause: error });
    }
  };
}
