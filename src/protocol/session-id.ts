import { z } from 'zod';

/** CONTRACT.md: 1 to 128 characters of `A-Z a-z 0-9 . _ -`. */
export const sessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,128}$/, 'session_id must be 1-128 characters of A-Z a-z 0-9 . _ -');

export type SessionId = z.infer<typeof sessionIdSchema>;
