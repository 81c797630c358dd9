import { z } from 'zod';

/** How many files one `message` frame may carry. */
export const maxAttachmentsPerMessage = 10;

/** A file id as `POST /api/sessions/{id}/files` hands it out. */
export const fileIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a file id from POST /api/sessions/{id}/files');

/**
 * A file a user message carries, as the `user_message` event records it and the `ack`,
 * `history` and the events API show it. The bytes stay in storage; GET
 * /api/sessions/{id}/files/{file_id} serves them.
 */
export const attachmentSchema = z.object({
  file_id: fileIdSchema,
  /** The name the client gave, for display only: it never reaches a path. */
  name: z.string(),
  /** What the content is, decided from the bytes (not the name). */
  media_type: z.string(),
  size: z.number().int().nonnegative(),
});

export type Attachment = z.infer<typeof attachmentSchema>;
