import { contextStart } from '../llm/fit-context-budget.js';
import type { HistoryItem } from '../protocol/index.js';

/** How much of a session's conversation stays in memory; the event log holds all of it. */
export interface HistoryLimits {
  /** CONTEXT_BUDGET_TOKENS: the model gets what fits in it (fit-context-budget.ts). */
  contextBudgetTokens: number;
  /** The newest completed turns a `session` frame carries; older ones are read through the events API. */
  frameTurns: number;
}

/** Several screens of conversation in about 43 KB of frame for turns of 660 characters (docs/benchmarks.md, long sessions). */
export const defaultFrameTurns = 50;

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
