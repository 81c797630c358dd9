import { z } from 'zod';
import { isStorableText } from '../protocol/index.js';

/**
 * `user_id` as a query parameter: given once (a repeated one arrives as a list), up to 256
 * characters, none of them control characters (PostgreSQL text cannot hold NUL, and the
 * others have no place in a name shown in logs and lists).
 */
export const userIdParamSchema = z
  .string({ error: 'user_id must be given once, as text' })
  .max(256, 'user_id is longer than 256 characters')
  .regex(/^\P{Cc}*$/u, 'user_id must not contain control characters')
  .refine(isStorableText, 'user_id must be well-formed text (no lone surrogate)');

/** The WebSocket's `user_id`: null when absent or empty, or the sentence saying what is wrong. */
export function readUserIdParam(raw: unknown): { userId: string | null; problem?: never } | { userId?: never; problem: string } {
  if (raw === undefined) return { userId: null };
  const parsed = userIdParamSchema.safeParse(raw);
  if (!parsed.success) return { problem: parsed.error.issues[0]?.message ?? 'user_id is not valid' };
  return { userId: parsed.data === '' ? null : parsed.data };
}
