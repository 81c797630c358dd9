import type { Attachment } from '../../../src/protocol/index.js';

/** A file the user picked, dropped or pasted, on its way to the server. */
export interface PendingUpload {
  key: string;
  file: File;
  /** 0 to 1 while it uploads. */
  progress: number;
  /** Set once the server stored it: what the message will carry. */
  attachment?: Attachment;
  /** Why the server refused it (or the upload failed), in words for the user. */
  error?: string;
}

/** What a message may carry: the uploads the server stored. */
export function readyAttachments(uploads: readonly PendingUpload[]): Attachment[] {
  return uploads.flatMap((upload) => (upload.attachment ? [upload.attachment] : []));
}

export function uploadsInProgress(uploads: readonly PendingUpload[]): boolean {
  return uploads.some((upload) => upload.attachment === undefined && upload.error === undefined);
}
