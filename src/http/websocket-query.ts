import { z } from 'zod';
import { userIdParamSchema } from './user-id-param.js';

/** `?after=`: a non-negative integer, short enough to stay exact as a JavaScript number. */
export const afterParamSchema = z
  .string()
  .regex(/^\d{1,15}$/, 'after must be a non-negative integer')
  .describe('Replay only the frames of the turn in progress whose seq is greater than this.');

/**
 * The query string of `/ws/session/{session_id}`. The route reads each parameter with the
 * schema here, and /asyncapi.json describes them from it.
 */
export const websocketQuerySchema = z.object({
  after: afterParamSchema.optional(),
  user_id: userIdParamSchema
    .describe('The user a new session is created for: taken on trust in the open mode, from an operator, and ignored with JWT auth (the token\'s sub is the user).')
    .optional(),
  access_token: z
    .string()
    .describe('The caller\'s token (a JWT, or API_TOKEN), for clients that cannot set the Authorization header, such as browsers.')
    .optional(),
  token: z.string().describe('API_TOKEN only (the older spelling).').optional(),
});
