import { z } from 'zod';
import { fileIdSchema, maxAttachmentsPerMessage } from './attachment.js';
import { isStorableText } from './well-formed-text.js';

/**
 * What a client may send on `/ws/session/{id}`. Size limits are applied by the socket before
 * parsing; `content` is made storable there too (well-formed-text.ts). An `id` is a key the
 * client compares, so one that would need replacing is refused instead.
 */
export const messageFrameSchema = z
  .object({
    type: z.literal('message'),
    /** May be empty only when the message carries attachments. */
    content: z.string(),
    id: z.string().min(1).max(128).refine(isStorableText, 'id must be well-formed text without U+0000').optional(),
    interrupt: z.boolean().optional(),
    /** Files uploaded to this session (POST /api/sessions/{id}/files), by id. */
    attachments: z.array(fileIdSchema).max(maxAttachmentsPerMessage, `at most ${maxAttachmentsPerMessage} attachments`).optional(),
    /** One of the `session` frame's `models` (its `id`): this turn and the next answer with it. */
    model: z.string().min(1).max(200).optional(),
  })
  .superRefine((message, context) => {
    if (message.content.length === 0 && !message.attachments?.length) {
      context.addIssue({ code: 'custom', path: ['content'], message: 'content must not be empty' });
    }
  });

export const cancelFrameSchema = z.object({ type: z.literal('cancel') });
export const pingFrameSchema = z.object({ type: z.literal('ping') });

export const clientFrameSchema = z.discriminatedUnion('type', [
  messageFrameSchema,
  cancelFrameSchema,
  pingFrameSchema,
]);

export type MessageFrame = z.infer<typeof messageFrameSchema>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;
