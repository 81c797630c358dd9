import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { ParleyError } from '../errors/index.js';
import type { Attachment } from '../protocol/index.js';
import { toStorableText } from '../protocol/index.js';
import { displayName } from './display-name.js';
import type { FileStore } from './file-store.js';
import { classifyContent, type FileType } from './file-types.js';
import { inspectPdf } from './pdf-inspection.js';
import { receiveUpload } from './receive-upload.js';

export interface UploadTarget {
  sessionId: string;
  /** Whose copy of the bytes this is: the session's owner. */
  ownerKey: string;
}

export interface UploadPolicy {
  maxFileBytes: number;
  allowedTypes: readonly FileType[];
  /** Where uploads are received before they are stored (on FILES_DIR's file system when set). */
  incomingDirectory: string;
}

/** The parts of a multipart file that matter here (from @fastify/multipart). */
export interface UploadedPart {
  file: Readable & { truncated?: boolean };
  filename: string;
}

/**
 * One upload, start to end: received to a temporary file (hashed, never held whole), its
 * type decided from its bytes, a PDF checked for scripts and its text extracted, then stored
 * for the session. Anything refused leaves nothing behind.
 */
export async function acceptUpload(part: UploadedPart, target: UploadTarget, policy: UploadPolicy, files: FileStore): Promise<Attachment & { sha256: string }> {
  const path = join(policy.incomingDirectory, `upload-${randomBytes(12).toString('hex')}`);
  try {
    // Busboy stops passing bytes at the limit but ends the file only with the request: fail now.
    part.file.once('limit', () => part.file.destroy(tooLarge(policy.maxFileBytes)));
    const received = await receiveUpload(part.file, path);
    if (part.file.truncated) throw tooLarge(policy.maxFileBytes);
    if (received.size === 0) throw new ParleyError('unsupported_file', 'The file is empty.');
    const verdict = classifyContent(await fileTypeFromBuffer(received.head), received.text);
    if (verdict.type === null || !policy.allowedTypes.includes(verdict.type)) {
      const what = verdict.type ?? verdict.detected ?? 'neither a known image, a PDF nor UTF-8 text';
      throw new ParleyError('unsupported_file', `The file's content is ${what}; allowed: ${policy.allowedTypes.join(', ')}. The type is read from the bytes, not the name.`);
    }
    let extractedText: string | null = null;
    if (verdict.type === 'application/pdf') {
      const inspection = await inspectPdf(path);
      if (inspection.verdict === 'scripted') throw new ParleyError('unsupported_file', 'The PDF contains JavaScript; PDFs with scripts are not accepted.');
      if (inspection.verdict === 'unreadable') throw new ParleyError('unsupported_file', 'The PDF could not be read.');
      extractedText = toStorableText(inspection.text);
    }
    const attachment = await files.add({
      session_id: target.sessionId,
      owner_key: target.ownerKey,
      sha256: received.sha256,
      name: toStorableText(displayName(part.filename)),
      media_type: verdict.type,
      size: received.size,
      extracted_text: extractedText,
      path,
    });
    return { ...attachment, sha256: received.sha256 };
  } catch (error) {
    // Busboy fails the stream it cut at the limit in some versions instead of marking it.
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(policy.maxFileBytes);
    throw error;
  } finally {
    await rm(path, { force: true });
  }
}

export function tooLarge(maxFileBytes: number): ParleyError {
  return new ParleyError('too_large', `The file is larger than the limit of ${maxFileBytes} bytes (MAX_FILE_BYTES).`);
}
