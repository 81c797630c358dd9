import { z } from 'zod';
import { attachmentSchema } from './attachment.js';
import { finishReasons } from './finish-reasons.js';

/** Status of an assistant turn, stored on its `assistant_message` event. */
export const turnStatusSchema = z.enum(['complete', 'cancelled', 'error', 'interrupted']);
export type TurnStatus = z.infer<typeof turnStatusSchema>;

/** Why a turn ended: the `done` frame's `finish_reason`. */
export const finishReasonSchema = z.enum(finishReasons);
export type FinishReason = z.infer<typeof finishReasonSchema>;

/** What a turn took, as its `done` frame said; stored on its `assistant_message` event. */
export const turnMeasuresSchema = z.object({
  ttft_ms: z.number().nonnegative().optional(),
  duration_ms: z.number().nonnegative().optional(),
  prompt_tokens: z.number().int().optional(),
  completion_tokens: z.number().int().optional(),
  /** The token counts were estimated (the provider gave none). */
  estimated: z.boolean().optional(),
});
export type TurnMeasures = z.infer<typeof turnMeasuresSchema>;

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
    /** This message asks again for the answer to the user_message of this seq: it replaces that turn and the ones after it (active-history.ts). */
    regenerate_of: z.number().int().optional(),
    /** This message is an edit of the user_message of this seq: it replaces that turn and the ones after it. */
    edit_of: z.number().int().optional(),
    seq: z.number().int(),
    created_at: z.string(),
  }),
  z.object({
    type: z.literal('assistant_message'),
    content: z.string(),
    status: turnStatusSchema,
    /** Why the turn ended (the `done` frame's `finish_reason`), when stored. */
    finish_reason: finishReasonSchema.optional(),
    /** The turn's measures as its `done` frame gave them, when stored (absent for an answer cut by a crash). */
    measures: turnMeasuresSchema.optional(),
    /** A failed turn's error code (error-codes.ts) and its message. */
    error_code: z.string().optional(),
    error_message: z.string().optional(),
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
