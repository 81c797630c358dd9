import type { Attachment } from '../../../src/protocol/index.js';
import type { ChatState } from '../state/chat-state.js';

/** A message the user sent that has not gone to the server yet. */
export interface QueuedMessage {
  /** Chosen when the user sent it, kept on every attempt: the server runs an id once. */
  id: string;
  content: string;
  attachments: Attachment[];
}

/** Messages waiting their turn, oldest first. */
export type Outbox = readonly QueuedMessage[];

/**
 * Whether a new message may go to the server now: the connection is live and nothing of this
 * page's is still running or waiting for its ack. The server takes one turn at a time, so a
 * message sent any earlier would be refused with `turn_in_progress`.
 */
export function mayGoNow(state: Pick<ChatState, 'connection' | 'turnInProgress' | 'turns'>): boolean {
  return state.connection === 'live' && !state.turnInProgress && !state.turns.some((turn) => turn.user?.state === 'pending');
}

/** Whether a message the user sends now waits in the outbox: behind others, or until it may go. */
export function mustWait(outbox: Outbox, state: Pick<ChatState, 'connection' | 'turnInProgress' | 'turns'>): boolean {
  return outbox.length > 0 || !mayGoNow(state);
}

/** The message to send now, if any, and the outbox without it: one at a time, in the order they were written. */
export function nextToSend(outbox: Outbox, state: Pick<ChatState, 'connection' | 'turnInProgress' | 'turns'>): { next: QueuedMessage | null; rest: Outbox } {
  const [next, ...rest] = outbox;
  if (next === undefined || !mayGoNow(state)) return { next: null, rest: outbox };
  return { next, rest };
}
