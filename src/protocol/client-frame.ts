import { z } from 'zod';

/** What a client may send on `/ws/session/{id}`. Size limits are applied by the socket before parsing. */
export const messageFrameSchema = z.object({
  type: z.literal('message'),
  content: z.string().min(1, 'content must not be empty'),
  id: z.string().min(1).max(128).optional(),
  interrupt: z.boolean().optional(),
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
