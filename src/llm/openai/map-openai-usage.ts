import type { LanguageModelV3Usage } from '@ai-sdk/provider';
import type { CompletionUsage } from 'openai/resources/completions';

/** OpenAI's usage object in the AI SDK's shape; cached and reasoning tokens when the server reports them. */
export function toUsage(usage: CompletionUsage | null | undefined): LanguageModelV3Usage {
  if (!usage) {
    return {
      inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: undefined, text: undefined, reasoning: undefined },
    };
  }
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  return {
    inputTokens: { total: usage.prompt_tokens, noCache: usage.prompt_tokens - cached, cacheRead: cached, cacheWrite: undefined },
    outputTokens: { total: usage.completion_tokens, text: Math.max(0, usage.completion_tokens - reasoning), reasoning },
    raw: usage as unknown as NonNullable<LanguageModelV3Usage['raw']>,
  };
}
