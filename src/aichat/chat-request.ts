import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ParleyError } from '../errors/index.js';
import { isStorableText, sessionIdSchema, toStorableText } from '../protocol/index.js';

/**
 * `POST /api/chat`: the body the AI SDK's `DefaultChatTransport` sends, plus Parley's two
 * options. Messages are checked only for their shape: Parley keeps the conversation itself
 * and reads the last message alone.
 */
const uiMessagePartSchema = z.looseObject({ type: z.string().max(128) });

export const uiMessageSchema = z.looseObject({
  id: z.string().min(1).max(128).refine(isStorableText, 'a message id must be well-formed text without U+0000'),
  role: z.enum(['system', 'user', 'assistant']),
  parts: z.array(uiMessagePartSchema).max(1_000),
});

export const chatRequestSchema = z.object({
  id: sessionIdSchema.describe('The chat id, which is the Parley session id'),
  messages: z
    .array(uiMessageSchema)
    .min(1, 'messages must hold at least the new user message')
    .max(10_000)
    .describe('UI messages; only the last one, a user message, is read (the session keeps the history)'),
  trigger: z.enum(['submit-message', 'regenerate-message']).default('submit-message'),
  messageId: z.string().max(128).refine(isStorableText, 'messageId must be well-formed text without U+0000').optional().describe('Set by the AI SDK when a message is edited or an answer regenerated'),
  on_disconnect: z
    .enum(['cancel', 'continue'])
    .default('cancel')
    .describe('What a closed connection does to the turn: cancel it (as Stop does), or let it run so GET /api/chat/{id}/stream can resume it'),
  interrupt: z.boolean().default(false).describe('Cancel a turn in progress (as interrupted) and run this one, instead of answering 409 turn_in_progress'),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** The Parley message a chat request runs. */
export interface UserTurn {
  /** The message id: the UI message's own, so a repeated request runs once. */
  id: string;
  content: string;
  interrupt: boolean;
}

/** Parley message ids hold 128 characters; a derived id keeps that much of the UI id. */
const baseIdLength = 64;

/**
 * The message a request runs: the last UI message's text, under its id. An edited message
 * (submit with `messageId`) and a regenerated answer run as new turns, since the session's log
 * keeps every turn: their ids are derived, the edit's from its text, so a repeated request still
 * runs once.
 */
export function readUserTurn(request: ChatRequest): UserTurn {
  const last = request.messages[request.messages.length - 1]!;
  if (last.role !== 'user') {
    throw new ParleyError('bad_request', `The last message must be the user's new message, not a ${last.role} message: Parley runs its tools itself.`);
  }
  const texts: string[] = [];
  for (const part of last.parts) {
    if (part.type === 'text') {
      if (typeof part.text !== 'string') throw new ParleyError('bad_request', 'A text part must have a string text.');
      texts.push(part.text);
    } else if (part.type === 'file') {
      throw new ParleyError('bad_request', 'File parts are not taken by /api/chat; send the text alone.');
    }
  }
  const content = toStorableText(texts.join('\n'));
  if (content.trim() === '') throw new ParleyError('bad_request', 'The user message has no text.');
  return { id: messageIdOf(request, last.id, content), content, interrupt: request.interrupt };
}

function messageIdOf(request: ChatRequest, uiId: string, content: string): string {
  const base = uiId.slice(0, baseIdLength);
  if (request.trigger === 'regenerate-message') {
    return `${base}~regenerate-${(request.messageId ?? randomBytes(8).toString('hex')).slice(0, 40)}`;
  }
  if (request.messageId !== undefined) return `${base}~edit-${createHash('sha256').update(content).digest('hex').slice(0, 16)}`;
  return uiId;
}
