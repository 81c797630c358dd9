import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { isRecord } from '../is-record.js';
import { streamErrorEvent, type ChatRequest } from './openai-call-errors.js';
import type { SseDataReader } from './sse-data-reader.js';

/**
 * A chat completion stream's chunks, as the `openai` client's own `Stream` yields them: the
 * `[DONE]` marker skipped, and an event carrying `error` (a server failing mid-answer)
 * thrown as an APICallError, as a failed request is.
 */
export function chatChunksOf(events: SseDataReader, request: ChatRequest, headers: Headers): AsyncIterator<ChatCompletionChunk> {
  return {
    async next(): Promise<IteratorResult<ChatCompletionChunk>> {
      for (;;) {
        const data = await events.read();
        if (data === undefined) return { done: true, value: undefined };
        if (data.startsWith('[DONE]')) continue;
        const json: unknown = JSON.parse(data);
        if (isRecord(json) && json.error) throw streamErrorEvent(request, { data, json, headers });
        return { done: false, value: json as ChatCompletionChunk };
      }
    },
  };
}
