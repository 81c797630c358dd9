import type { LanguageModelV3Usage } from '@ai-sdk/provider';

/** Offline "tokens" are estimates: about four characters each, as for English text. */
export function estimateUsage(inputCharacters: number, outputCharacters: number): LanguageModelV3Usage {
  const inputTokens = Math.ceil(inputCharacters / 4);
  const outputTokens = Math.ceil(outputCharacters / 4);
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
  };
}
