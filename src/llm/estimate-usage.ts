import type { LanguageModelV3Usage } from '@ai-sdk/provider';
import type { HistoryItem } from '../protocol/index.js';
import { estimateItemTokens, estimateTokens, tokensForCharacters } from './estimate-tokens.js';
import type { TurnUsage } from './turn-event.js';

/**
 * Usage for a turn the provider gave no figures for (a cancelled one): the history sent as
 * the prompt and the delivered text as the completion, marked as estimated.
 */
export function estimateUsage(history: readonly HistoryItem[], text: string): TurnUsage {
  const promptTokens = history.reduce((total, item) => total + estimateItemTokens(item), 0);
  return { promptTokens, completionTokens: estimateTokens(text), estimated: true };
}

/** The same estimate in the provider spec's shape, for a model that counts no tokens (the offline one). */
export function estimateModelUsage(inputCharacters: number, outputCharacters: number): LanguageModelV3Usage {
  const inputTokens = tokensForCharacters(inputCharacters);
  const outputTokens = tokensForCharacters(outputCharacters);
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
  };
}
