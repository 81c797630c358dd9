import type { HistoryItem } from '../protocol/index.js';
import { estimateItemTokens, estimateTokens } from './estimate-tokens.js';
import type { TurnUsage } from './turn-event.js';

/**
 * Usage for a turn the provider gave no figures for (a cancelled one): the history sent as
 * the prompt and the delivered text as the completion, marked as estimated.
 */
export function estimateUsage(history: readonly HistoryItem[], text: string): TurnUsage {
  const promptTokens = history.reduce((total, item) => total + estimateItemTokens(item), 0);
  return { promptTokens, completionTokens: estimateTokens(text), estimated: true };
}
