import type { Attachment } from './attachment.js';

/**
 * The attachments recorded in an event's metadata; anything else there reads as none. Plain
 * code, not the schema: the web page rebuilds history with it and bundles nothing of zod.
 */
export function attachmentsOf(metadata: Record<string, unknown>): Attachment[] {
  const recorded = metadata.attachments;
  if (!Array.isArray(recorded)) return [];
  return recorded.flatMap((entry: unknown): Attachment[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { file_id: fileId, name, media_type: mediaType, size } = entry as Record<string, unknown>;
    if (typeof fileId !== 'string' || typeof name !== 'string' || typeof mediaType !== 'string' || typeof size !== 'number') return [];
    return [{ file_id: fileId, name, media_type: mediaType, size }];
  });
}
