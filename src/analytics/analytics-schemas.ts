import { z } from 'zod';
import { userIdParamSchema } from '../http/user-id-param.js';

/** `GET /api/analytics`: the query and the report, one zod schema each (they also write /openapi.json). */
export const analyticsQuerySchema = z.object({
  from: z.string({ error: 'from must be given once, as text' }).max(64, 'from is longer than an ISO date and time').optional().describe('ISO date or date-time with offset; default: the start of the UTC day 6 days before `to`'),
  to: z.string({ error: 'to must be given once, as text' }).max(64, 'to is longer than an ISO date and time').optional().describe('ISO date (the whole day included) or date-time with offset (excluded); default: now'),
  bucket: z.enum(['hour', 'day'], { error: 'bucket must be hour or day' }).optional().describe('UTC hours (range at most 31 days) or days (at most 366); default day'),
  user_id: userIdParamSchema.optional().describe("Operators: one user's sessions only. A user always sees their own"),
  token: z.string().optional(),
  access_token: z.string().optional(),
});

const percentilesSchema = z.object({
  p50: z.number().nullable(),
  p95: z.number().nullable(),
});

export const analyticsFiguresSchema = z.object({
  sessions: z.number().int().describe('Sessions in which a user message was stored in the period'),
  active_users: z.number().int().describe('Distinct owners of those sessions (sessions without an owner are not counted)'),
  turns: z.number().int().describe('Assistant turns that ended in the period'),
  turns_by_status: z.object({
    complete: z.number().int(),
    cancelled: z.number().int(),
    interrupted: z.number().int(),
    error: z.number().int(),
  }),
  ttft_ms: percentilesSchema.describe('Time to first token, continuous percentiles over turns that had one'),
  duration_ms: percentilesSchema.describe('Turn duration, continuous percentiles over every turn'),
  tokens: z.object({ prompt: z.number(), completion: z.number() }).describe('All models together'),
  tokens_by_model: z.array(z.object({
    model: z.string().describe('`unknown` for turns recorded before models were named, or that no model started'),
    turns: z.number().int(),
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
  })),
  tools: z.array(z.object({
    name: z.string(),
    calls: z.number().int(),
    errors: z.number().int(),
    error_rate: z.number().describe('errors / calls, 0 when no call'),
  })),
  errors: z.array(z.object({ code: z.string(), count: z.number().int() })).describe('Failed turns by error code, and events the database refused (write_failed)'),
});

export const analyticsReportSchema = z.object({
  from: z.string().describe('ISO 8601, included'),
  to: z.string().describe('ISO 8601, excluded'),
  bucket: z.enum(['hour', 'day']),
  user_id: z.string().nullable().describe('Whose sessions are counted; null: everyone\'s'),
  totals: analyticsFiguresSchema,
  buckets: z.array(analyticsFiguresSchema.extend({ start: z.string().describe('The bucket\'s UTC start, ISO 8601') })).describe('Every bucket of the range in order, empty ones included'),
});

export type AnalyticsFigures = z.infer<typeof analyticsFiguresSchema>;
export type AnalyticsReport = z.infer<typeof analyticsReportSchema>;
