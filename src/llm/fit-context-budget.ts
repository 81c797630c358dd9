import type { HistoryItem } from '../protocol/index.js';
import { cutText } from '../text/cut-text.js';
import { estimateItemTokens, estimateTokens } from './estimate-tokens.js';

export interface BudgetedHistory {
  /** The newest turns that fit, whole. */
  history: HistoryItem[];
  /** The older turns, condensed to a few lines for the system prompt; null when none were left out. */
  condensed: string | null;
}

/** Share of the budget the condensed older turns may take. */
const condensedShare = 1 / 4;
const linePreviewChars = 100;

/**
 * Keeps the conversation within CONTEXT_BUDGET_TOKENS (chars/4) instead of letting the
 * provider refuse it: the oldest turns (a user message and what answered it) are left out
 * whole, so no tool call is split from its result, and condensed into short lines the
 * model still sees. The newest turn is always kept.
 */
export function fitContextBudget(history: readonly HistoryItem[], budgetTokens: number, reservedTokens = 0): BudgetedHistory {
  const turns = splitIntoTurns(history);
  const sizes = turns.map((turn) => turn.reduce((total, item) => total + estimateItemTokens(item), 0));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total + reservedTokens <= budgetTokens) return { history: [...history], condensed: null };

  const condensedBudget = Math.floor(budgetTokens * condensedShare);
  const available = budgetTokens - reservedTokens - condensedBudget;
  let kept = 0;
  let used = 0;
  for (let index = turns.length - 1; index >= 0; index -= 1) {
    const size = sizes[index]!;
    if (kept > 0 && used + size > available) break;
    used += size;
    kept += 1;
  }
  const dropped = turns.slice(0, turns.length - kept);
  return { history: turns.slice(turns.length - kept).flat(), condensed: condense(dropped, condensedBudget) };
}

function splitIntoTurns(history: readonly HistoryItem[]): HistoryItem[][] {
  const turns: HistoryItem[][] = [];
  for (const item of history) {
    if (item.type === 'user_message' || turns.length === 0) turns.push([item]);
    else turns[turns.length - 1]!.push(item);
  }
  return turns;
}

/** One line per message of the left-out turns, newest kept when even these do not fit. */
function condense(turns: HistoryItem[][], budgetTokens: number): string {
  const lines: string[] = [];
  for (const item of turns.flat()) {
    if (item.type === 'user_message') lines.push(`User: ${preview(item.content)}`);
    else if (item.type === 'assistant_message' && item.content.length > 0) lines.push(`Assistant: ${preview(item.content)}`);
    else if (item.type === 'tool_call') lines.push(`(called ${item.name})`);
  }
  let omitted = 0;
  while (lines.length > 1 && estimateTokens(lines.join('\n')) > budgetTokens) {
    lines.shift();
    omitted += 1;
  }
  const header = `Earlier in this conversation (${turns.length} older turn${turns.length === 1 ? '' : 's'}, condensed${omitted > 0 ? `; ${omitted} line${omitted === 1 ? '' : 's'} left out` : ''}):`;
  return [header, ...lines].join('\n');
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return cutText(flat, linePreviewChars, '…');
}
