import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { SseDataReader } from './sse-data-reader.js';

/**
 * A chat completion stream's chunks, as the `openai` client's own `Stream` yields them: the
 * `[DONE]` marker skipped, and an event carrying `error` (a server failing mid-answer) thrown
 * as the client's APIError, so it maps to the same APICallError as a failed request.
 */
export function chatChunksOf(events: SseDataReader, headers: Headers): AsyncIterator<ChatCompletionChunk> {
  return {
    async next(): Promise<IteratorResult<ChatCompletionChunk>> {
      for (;;) {
        const data = await events.read();
        if (data === undefined) return { done: true, value: undefined };
        if (data.startsWith('[DONE]')) continue;
        const chunk = JSON.parse(data) as ChatCompletionChunk & { error?: object };
        if (chunk?.error) throw new OpenAI.APIError(undefined, chunk.error, undefined, headers);
        return { done: false, value: chunk };
      }
    },
  };
}
