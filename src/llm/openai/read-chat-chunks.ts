import { randomUUID } from 'node:crypto';
import type { LanguageModelV3StreamPart, SharedV3Warning } from '@ai-sdk/provider';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ReadResult, StepReader } from '../model-step.js';
import { toFinishReason } from './map-openai-finish-reason.js';
import { toUsage } from './map-openai-usage.js';

interface PendingCall {
  id: string | undefined;
  name: string | undefined;
  args: string;
}

/** Some OpenAI-compatible servers (vLLM, Ollama, DeepSeek) stream reasoning beside the content. */
type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string | null; reasoning?: string | null };

/**
 * Reads OpenAI's chat completion chunks as the AI SDK's stream parts, one `read` at a time, with
 * no Web Stream stage in between. Text and reasoning deltas go out as they come; a tool
 * call's arguments arrive in pieces and go out whole, as one `tool-call` part, at the end.
 * A stream that ends without a finish reason broke off: that ends in an `error` part.
 */
export function readChatChunks(options: {
  chunks: AsyncIterator<ChatCompletionChunk>;
  abort: () => void;
  warnings: SharedV3Warning[];
}): StepReader {
  const { chunks, abort } = options;
  const queue: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: options.warnings }];
  const calls = new Map<number, PendingCall>();
  let open: 'text' | 'reasoning' | null = null;
  let finishReason: string | null = null;
  let refused = false;
  let usage: CompletionUsage | undefined;
  let ended = false;

  const switchTo = (kind: 'text' | 'reasoning') => {
    if (open === kind) return;
    if (open !== null) queue.push({ type: `${open}-end`, id: `${open}-0` });
    queue.push({ type: `${kind}-start`, id: `${kind}-0` });
    open = kind;
  };

  const take = (chunk: ChatCompletionChunk) => {
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) return;
    if (choice.finish_reason) finishReason = choice.finish_reason;
    const delta = choice.delta as Delta | undefined;
    if (!delta) return;
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning) {
      switchTo('reasoning');
      queue.push({ type: 'reasoning-delta', id: 'reasoning-0', delta: reasoning });
    }
    if (delta.content) {
      switchTo('text');
      queue.push({ type: 'text-delta', id: 'text-0', delta: delta.content });
    }
    if (delta.refusal) {
      refused = true;
      switchTo('text');
      queue.push({ type: 'text-delta', id: 'text-0', delta: delta.refusal });
    }
    for (const piece of delta.tool_calls ?? []) {
      const call = calls.get(piece.index) ?? { id: undefined, name: undefined, args: '' };
      call.id ??= piece.id;
      call.name ??= piece.function?.name;
      call.args += piece.function?.arguments ?? '';
      calls.set(piece.index, call);
    }
  };

  const finish = () => {
    if (open !== null) queue.push({ type: `${open}-end`, id: `${open}-0` });
    for (const [, call] of [...calls].sort(([a], [b]) => a - b)) {
      queue.push({ type: 'tool-call', toolCallId: call.id ?? `call_${randomUUID()}`, toolName: call.name ?? '', input: call.args === '' ? '{}' : call.args });
    }
    if (finishReason === null) queue.push({ type: 'error', error: new Error('the response stream ended without a finish reason') });
    queue.push({ type: 'finish', finishReason: toFinishReason(finishReason, refused), usage: toUsage(usage) });
  };

  return {
    async read(): Promise<ReadResult<LanguageModelV3StreamPart>> {
      for (;;) {
        const part = queue.shift();
        if (part !== undefined) return { done: false, value: part };
        if (ended) return { done: true };
        let next: IteratorResult<ChatCompletionChunk>;
        try {
          next = await chunks.next();
        } catch (error) {
          ended = true;
          throw error;
        }
        if (next.done) {
          ended = true;
          finish();
        } else take(next.value);
      }
    },
    cancel() {
      ended = true;
      queue.length = 0;
      abort();
      return Promise.resolve();
    },
  };
}
