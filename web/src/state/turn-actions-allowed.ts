import type { ChatTurn } from './chat-state.js';

/** Which actions a turn offers: copying its answer, asking for it again, editing its message. */
export interface AllowedActions {
  copy: boolean;
  regenerate: boolean;
  edit: boolean;
}

const finished: ReadonlySet<ChatTurn['status']> = new Set(['complete', 'cancelled', 'interrupted', 'error']);

/**
 * Pure. Copy once an answer has text and is over. Regenerate the last turn, also a stopped or
 * failed one, and edit any stored message: both need the server's seq and no turn running
 * (a new message would be refused with turn_in_progress).
 */
export function allowedActions(turn: ChatTurn, last: boolean, turnInProgress: boolean): AllowedActions {
  const over = finished.has(turn.status);
  const stored = turn.user?.state === 'stored' && turn.user.seq !== undefined;
  const idle = over && !turnInProgress;
  return {
    copy: over && turn.parts.some((part) => part.kind === 'text' && part.content.trim() !== ''),
    regenerate: idle && stored && last,
    edit: idle && stored,
  };
}
