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
    /** May be empty only when the message carries attachments; may be left out with `regenerate`. */
    content: z.string().default(''),
    id: z.string().min(1).max(128).refine(isStorableText, 'id must be well-formed text without U+0000').optional(),
    interrupt: z.boolean().optional(),
    /** Files uploaded to this session (POST /api/sessions/{id}/files), by id. */
    attachments: z.array(fileIdSchema).max(maxAttachmentsPerMessage, `at most ${maxAttachmentsPerMessage} attachments`).optional(),
    /**
     * Answer the user message of this seq again: its text and files are taken (`content` and
     * `attachments` are not read), and the new turn replaces that one and every turn after it.
     */
    regenerate: z.number().int().nonnegative().optional(),
    /** This message (`content`, `attachments`) is an edit of the user message of this seq: it replaces that turn and every turn after it. */
    edit_of: z.number().int().nonnegative().optional(),
    /** One of the `session` frame's `models` (its `id`): this turn and the next answer with it. */
    model: z.string().min(1).max(200).optional(),
  })
  .superRefine((message, context) => {
    if (message.regenerate !== undefined && message.edit_of !== undefined) {
      context.addIssue({ code: 'custom', path: ['edit_of'], message: 'regenerate and edit_of cannot go together' });
    }
    if (message.content.length === 0 && !message.attachments?.length && message.regenerate === undefined) {
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
