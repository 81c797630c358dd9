import { contextStart } from '../llm/fit-context-budget.js';
import type { HistoryItem } from '../protocol/index.js';

/** How much of a session's conversation stays in memory; the event log holds all of it. */
export interface HistoryLimits {
  /** CONTEXT_BUDGET_TOKENS: the model gets what fits in it (fit-context-budget.ts). */
  contextBudgetTokens: number;
  /** The newest completed turns a `session` frame carries; older ones are read through the events API. */
  frameTurns: number;
  /**
   * The most a `session` frame's history may take: a frame over the socket's hard buffer limit
   * (WS_BUFFER_HARD_BYTES) is never sent, and the socket is closed as a slow consumer.
   */
  frameBytes: number;
}

/** Several screens of conversation; about 33 KB of frame for turns of 660 bytes (docs/benchmarks.md, long sessions). */
export const defaultFrameTurns = 50;

/** Half the socket's hard limit: room for the frame and what follows it. */
export function frameBytesFor(hardBufferBytes: number): number {
  return Math.floor(hardBufferBytes / 2);
}

/**
 * Where the part of `history` a session keeps begins: what the model's context budget can use,
 * and the turns the `session` frame carries, from a user message on. Null when all of it is
 * needed (and older items might be too).
 */
export function historyWindowStart(history: readonly HistoryItem[], limits: HistoryLimits): number | null {
  const forModel = contextStart(history, limits.contextBudgetTokens);
  const forFrame = recentTurnsStart(history, limits.frameTurns);
  if (forModel === null || forFrame === null) return null;
  const start = Math.min(forModel, forFrame);
  // A turn cut by the start of what was read is not whole: older items are needed.
  return history[start]?.type === 'user_message' ? start : null;
}

/** Where the newest `turns` turns begin (at their user message); null when `history` holds fewer. */
export function recentTurnsStart(history: readonly HistoryItem[], turns: number): number | null {
  let found = 0;
  for (let index = history.length - 1; index >= 0; index -= 1) {
    if (history[index]!.type === 'user_message' && ++found === turns) return index;
  }
  return null;
}

/**
 * Where the history a `session` frame carries starts in `completed`: the newest whole turns, up
 * to `frameTurns` and `frameBytes` (none at all when the newest alone is larger; the client
 * reads it through the events API). 0 when the whole of `completed` fits.
 */
export function frameHistoryStart(completed: readonly HistoryItem[], limits: Pick<HistoryLimits, 'frameTurns' | 'frameBytes'>): number {
  let start = completed.length;
  let turns = 0;
  let bytes = 0;
  for (let index = completed.length - 1; index >= 0; index -= 1) {
    const item = completed[index]!;
    bytes += Buffer.byteLength(JSON.stringify(item));
    if (bytes > limits.frameBytes) return start;
    if (item.type !== 'user_message') continue;
    start = index;
    turns += 1;
    if (turns === limits.frameTurns) return start;
  }
  return 0;
}
