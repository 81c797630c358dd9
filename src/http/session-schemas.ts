import { z } from 'zod';
import { sessionIdSchema } from '../protocol/index.js';

/** REST shapes: the same zod schemas validate requests, serialize replies and write /openapi.json. */
export const sessionSchema = z.object({
  session_id: z.string(),
  user_id: z.string().nullable(),
  start_time: z.string().describe('ISO 8601'),
  end_time: z.string().nullable(),
  is_active: z.boolean(),
  summary: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).describe('After finalize: duration_seconds, message_count, turns, tool_calls, tokens, ttft_ms_mean, ttft_ms_p95'),
});

export const sessionPageSchema = z.object({
  sessions: z.array(sessionSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` to get the next (older) page'),
});

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
  events: z.array(eventSchema),
  next_cursor: z.string().nullable(),
});

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
  instance: z.string().optional(),
});
