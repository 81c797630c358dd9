import { z } from 'zod';
import { attachmentSchema } from './attachment.js';
import { finishReasonSchema, historyItemSchema } from './history.js';

/**
 * Every frame the server sends. Frames about the conversation carry `seq`, which grows by
 * one per frame within a session, across reconnects (CONTRACT.md).
 */
const seq = z.number().int().nonnegative();

export const sessionFrameSchema = z.object({
  type: z.literal('session'),
  session_id: z.string(),
  resumed: z.boolean(),
  last_seq: z.number().int().nonnegative(),
  /** When resumed: the newest completed turns. */
  history: z.array(historyItemSchema).optional(),
  /**
   * True when the session holds turns older than `history` (absent otherwise): read them with
   * `GET /api/sessions/{id}/events?before=` the seq of `history`'s first item.
   */
  more_history: z.boolean().optional(),
  /** Which model answers: the session's pick, else the default; never a key. `id` is what a `message` frame's `model` names. */
  model: z.object({ provider: z.string(), model: z.string(), id: z.string().optional() }),
  /** The models the session may pick (LLM_MODELS), the default first; `current` marks `model`. */
  models: z.array(z.object({ id: z.string(), provider: z.string(), model: z.string(), current: z.boolean() })).optional(),
  /** True while a turn runs: frames of it follow (replayed after `after`, then live). */
  turn_in_progress: z.boolean(),
});

export const ackFrameSchema = z.object({
  type: z.literal('ack'),
  seq,
  id: z.string().optional(),
  /** The user's text, so every socket attached to the session can show the message. */
  content: z.string().optional(),
  /** The files the message carries, so every socket can show them too. */
  attachments: z.array(attachmentSchema).optional(),
  duplicate: z.boolean().optional(),
  /** The message regenerates or edits the user message of this seq: that turn and every one after it are replaced (active-history.ts). */
  replaces_seq: z.number().int().nonnegative().optional(),
});

export const tokenFrameSchema = z.object({
  type: z.literal('token'),
  seq,
  content: z.string(),
});

export const toolCallFrameSchema = z.object({
  type: z.literal('tool_call'),
  seq,
  call_id: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
});

export const toolResultFrameSchema = z.object({
  type: z.literal('tool_result'),
  seq,
  call_id: z.string(),
  name: z.string(),
  result: z.unknown().optional(),
  error: z.string().optional(),
  duration_ms: z.number().nonnegative(),
});


export const doneFrameSchema = z.object({
  type: z.literal('done'),
  seq,
  finish_reason: finishReasonSchema,
  usage: z
    .object({
      prompt_tokens: z.number().int().optional(),
      completion_tokens: z.number().int().optional(),
      estimated: z.boolean().optional(),
    })
    .optional(),
  ttft_ms: z.number().nonnegative().optional(),
  duration_ms: z.number().nonnegative().optional(),
  /** The model that answered (a fallback's when the pick could not start); absent when none started. */
  model: z.string().optional(),
});

export const errorFrameSchema = z.object({
  type: z.literal('error'),
  /** Present when the error is about a turn, absent for frame-level errors. */
  seq: seq.optional(),
  code: z.string(),
  message: z.string(),
  recoverable: z.boolean(),
  /** `rate_limited` and `quota_exceeded`: whole seconds until trying again can succeed. */
  retry_after_s: z.number().int().nonnegative().optional(),
  /** The client message id the error answers, when it had one. */
  id: z.string().optional(),
});

export const pongFrameSchema = z.object({ type: z.literal('pong') });

/**
 * The session's title changed: the model named it after its first turn, or its owner renamed
 * it. Sent to every socket of the session; about the session, not the conversation, so no `seq`.
 */
export const titleFrameSchema = z.object({ type: z.literal('title'), title: z.string() });

export const serverFrameSchema = z.discriminatedUnion('type', [
  sessionFrameSchema,
  ackFrameSchema,
  tokenFrameSchema,
  toolCallFrameSchema,
  toolResultFrameSchema,
  doneFrameSchema,
  errorFrameSchema,
  pongFrameSchema,
  titleFrameSchema,
]);

export type SessionFrame = z.infer<typeof sessionFrameSchema>;
export type AckFrame = z.infer<typeof ackFrameSchema>;
export type TokenFrame = z.infer<typeof tokenFrameSchema>;
export type ToolCallFrame = z.infer<typeof toolCallFrameSchema>;
export type ToolResultFrame = z.infer<typeof toolResultFrameSchema>;
export type DoneFrame = z.infer<typeof doneFrameSchema>;
export type ErrorFrame = z.infer<typeof errorFrameSchema>;
export type PongFrame = z.infer<typeof pongFrameSchema>;
export type TitleFrame = z.infer<typeof titleFrameSchema>;
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/** A conversation frame before the session numbers it. */
type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;
export type SequencedFrame = AckFrame | TokenFrame | ToolCallFrame | ToolResultFrame | DoneFrame | ErrorFrame;
export type UnsequencedFrame = WithoutSeq<SequencedFrame>;
