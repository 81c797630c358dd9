import type { HistoryItem } from '../protocol/index.js';
import { cutText } from '../text/cut-text.js';
import { estimateItemTokens, tokensForCharacters } from './estimate-tokens.js';

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
 * model still sees. The newest turn is always kept. `olderOmitted`: turns older than
 * `history` exist (a long session keeps only the recent ones in memory, see contextStart).
 */
export function fitContextBudget(history: readonly HistoryItem[], budgetTokens: number, reservedTokens = 0, olderOmitted = false): BudgetedHistory {
  const turns = splitIntoTurns(history);
  const sizes = turns.map(turnTokens);
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
  return { history: turns.slice(turns.length - kept).flat(), condensed: condense(dropped, condensedBudget, olderOmitted) };
}

/**
 * Where the part of `history` that fitContextBudget can use begins, whatever came before it:
 * the newest turns it could keep whole (with no system prompt), then older ones until their
 * condensed lines overflow its share. Given only `history.slice(start)`, it builds the same
 * prompt, so a session may forget the rest. Null when any of `history` may be used (then
 * anything older might be too).
 */
export function contextStart(history: readonly HistoryItem[], budgetTokens: number): number | null {
  const turns = splitIntoTurns(history);
  const condensedBudget = Math.floor(budgetTokens * condensedShare);
  let start = history.length;
  let total = 0;
  let whole = 0;
  let condensing = false;
  let lineCharacters = 0;
  for (let index = turns.length - 1; index >= 0; index -= 1) {
    const turn = turns[index]!;
    const size = turnTokens(turn);
    start -= turn.length;
    total += size;
    if (!condensing && (whole === 0 || whole + size <= budgetTokens - condensedBudget)) {
      whole += size;
      continue;
    }
    condensing = true;
    for (const line of linesOf(turn)) lineCharacters += line.length + 1;
    // One token over the share (the newline count is one more than the joined text's), so the
    // lines condense keeps are all here.
    if (total > budgetTokens && tokensForCharacters(lineCharacters) > condensedBudget + 1) return start;
  }
  return null;
}

function splitIntoTurns(history: readonly HistoryItem[]): HistoryItem[][] {
  const turns: HistoryItem[][] = [];
  for (const item of history) {
    if (item.type === 'user_message' || turns.length === 0) turns.push([item]);
    else turns[turns.length - 1]!.push(item);
  }
  return turns;
}

function turnTokens(turn: readonly HistoryItem[]): number {
  return turn.reduce((total, item) => total + estimateItemTokens(item), 0);
}

/** One line per message of the left-out turns, newest kept when even these do not fit. */
function condense(turns: HistoryItem[][], budgetTokens: number, olderOmitted: boolean): string {
  const all = turns.flatMap(linesOf);
  // The joined text's length, kept as lines leave the front (a join per line was quadratic).
  let characters = all.reduce((sum, line) => sum + line.length, 0) + all.length - 1;
  let omitted = 0;
  while (all.length - omitted > 1 && tokensForCharacters(characters) > budgetTokens) {
    characters -= all[omitted]!.length + 1;
    omitted += 1;
  }
  const lines = all.slice(omitted);
  const header = olderOmitted
    ? 'Earlier in this conversation (older turns, condensed; the oldest left out):'
    : `Earlier in this conversation (${turns.length} older turn${turns.length === 1 ? '' : 's'}, condensed${omitted > 0 ? `; ${omitted} line${omitted === 1 ? '' : 's'} left out` : ''}):`;
  return [header, ...lines].join('\n');
}

function linesOf(turn: readonly HistoryItem[]): string[] {
  const lines: string[] = [];
  for (const item of turn) {
    if (item.type === 'user_message') lines.push(`User: ${preview(item.content)}`);
    else if (item.type === 'assistant_message' && item.content.length > 0) lines.push(`Assistant: ${preview(item.content)}`);
    else if (item.type === 'tool_call') lines.push(`(called ${item.name})`);
  }
  return lines;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return cutText(flat, linePreviewChars, '…');
}
