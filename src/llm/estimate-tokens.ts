import type { HistoryItem } from '../protocol/index.js';

/** The usual rough measure, about four characters per token: good enough to budget and to estimate. */
export function estimateTokens(text: string): number {
  return tokensForCharacters(text.length);
}

export function tokensForCharacters(characters: number): number {
  return Math.ceil(characters / 4);
}

export function estimateItemTokens(item: HistoryItem): number {
  switch (item.type) {
    case 'user_message':
    case 'assistant_message':
      return estimateTokens(item.content) + 4;
    case 'tool_call':
      return estimateTokens(item.name + JSON.stringify(item.arguments ?? {})) + 4;
    case 'tool_result':
      return estimateTokens(item.name + JSON.stringify(item.error ?? item.result ?? null)) + 4;
  }
}
