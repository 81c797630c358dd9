import { z } from 'zod';
import { sessionIdSchema } from '../protocol/index.js';

/** REST shapes: the same zod schemas validate requests, serialize replies and write /openapi.json. */
/** What finalize writes (src/jobs/session-metrics.ts); empty while the session is active. */
export const sessionMetadataSchema = z
  .object({
    duration_seconds: z.number().optional(),
    message_count: z.number().int().optional(),
    turns: z.number().int().optional(),
    tool_calls: z.number().int().optional(),
    prompt_tokens: z.number().int().optional(),
    completion_tokens: z.number().int().optional(),
    ttft_ms_mean: z.number().nullable().optional(),
    ttft_ms_p95: z.number().nullable().optional(),
    summary_method: z.enum(['model', 'extractive']).optional(),
  })
  .catchall(z.unknown());

export const sessionSchema = z.object({
  session_id: z.string(),
  user_id: z.string().nullable(),
  start_time: z.string().describe('ISO 8601'),
  end_time: z.string().nullable(),
  is_active: z.boolean(),
  summary: z.string().nullable(),
  title: z.string().nullable().describe('A short name: written after the first turn (by the model, or from the first message), or set with PATCH'),
  metadata: sessionMetadataSchema.describe('After finalize: duration_seconds, message_count, turns, tool_calls, tokens, ttft_ms_mean, ttft_ms_p95'),
});

export type SessionResource = z.infer<typeof sessionSchema>;
export type SessionMetadata = z.infer<typeof sessionMetadataSchema>;

export const sessionPageSchema = z.object({
  sessions: z.array(sessionSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` to get the next (older) page'),
});

export type SessionPageResource = z.infer<typeof sessionPageSchema>;

export const eventSchema = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  event_type: z.string(),
  content: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

export const eventPageSchema = z.object({
  session_id: z.string(),
  events: z.array(eventSchema).describe('In seq order, also on a page going back with before'),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page in the same direction (later events, or older ones after `before`); null when none is left'),
});

export type EventPageResource = z.infer<typeof eventPageSchema>;

/** `GET /api/sessions/{id}/events?before=SEQ`: the page before a `session` frame's `history` (its `more_history`). */
export const eventsBeforeSchema = z.coerce
  .number()
  .int()
  .min(0)
  .describe('Only events with a seq below this, the newest `limit` of them; `next_cursor` then goes back further');

export const sessionParamsSchema = z.object({ id: sessionIdSchema });

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  retry_after_s: z.number().int().optional().describe('rate_limited and quota_exceeded: seconds until a retry can succeed'),
  instance: z.string().optional(),
});
