import { z } from 'zod';
import { attachmentSchema } from './attachment.js';

/** Status of an assistant turn, stored on its `assistant_message` event. */
export const turnStatusSchema = z.enum(['complete', 'cancelled', 'error', 'interrupted']);
export type TurnStatus = z.infer<typeof turnStatusSchema>;

/**
 * One entry of a session's conversation as a client sees it: in the `session` frame's
 * `history` and rebuilt by the web page. Built from the event log, in event order.
 */
export const historyItemSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('user_message'),
    content: z.string(),
    id: z.string().optional(),
    attachments: z.array(attachmentSchema).optional(),
    seq: z.number().int(),
    created_at: z.string(),
  }),
  z.object({
    type: z.literal('assistant_message'),
    content: z.string(),
    status: turnStatusSchema,
    /** The model that answered, when one started. */
    model: z.string().optional(),
    seq: z.number().int(),
    created_at: z.string(),
  }),
  z.object({
    type: z.literal('tool_call'),
    call_id: z.string(),
    name: z.string(),
    arguments: z.unknown(),
    seq: z.number().int(),
    created_at: z.string(),
  }),
  z.object({
    type: z.literal('tool_result'),
    call_id: z.string(),
    name: z.string(),
    result: z.unknown().optional(),
    error: z.string().optional(),
    duration_ms: z.number().optional(),
    seq: z.number().int(),
    created_at: z.string(),
  }),
]);

export type HistoryItem = z.infer<typeof historyItemSchema>;
