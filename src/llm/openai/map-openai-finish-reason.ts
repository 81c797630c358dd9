import type { LanguageModelV3FinishReason } from '@ai-sdk/provider';

/** A refusal ends with `stop` on the wire; it is a content filter to the user. */
export function toFinishReason(raw: string | null | undefined, refused: boolean): LanguageModelV3FinishReason {
  const unified = ((): LanguageModelV3FinishReason['unified'] => {
    switch (raw) {
      case 'stop':
        return refused ? 'content-filter' : 'stop';
      case 'length':
        return 'length';
      case 'content_filter':
        return 'content-filter';
      case 'tool_calls':
      case 'function_call':
        return 'tool-calls';
      default:
        return 'other';
    }
  })();
  return { unified, raw: raw ?? undefined };
}
