import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { readChatChunks } from '../../../src/llm/openai/read-chat-chunks.js';

type Delta = Record<string, unknown>;

function chunk(delta: Delta | null, finishReason: string | null = null, usage?: ChatCompletionChunk['usage']): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-test',
    choices: delta === null ? [] : [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    ...(usage ? { usage } : {}),
  } as ChatCompletionChunk;
}

async function* chunksOf(list: ChatCompletionChunk[], failAfter?: Error) {
  for (const item of list) yield item;
  if (failAfter) throw failAfter;
}

async function partsOf(list: ChatCompletionChunk[], failAfter?: Error): Promise<LanguageModelV3StreamPart[]> {
  const reader = readChatChunks({ chunks: chunksOf(list, failAfter), abort: () => undefined, warnings: [] });
  const parts: LanguageModelV3StreamPart[] = [];
  for (;;) {
    const next = await reader.read();
    if (next.done) return parts;
    parts.push(next.value);
  }
}

describe('reading OpenAI chat chunks as AI SDK stream parts', () => {
  it('streams text as it comes and ends with the reason and usage the server sent', async () => {
    const parts = await partsOf([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo.' }),
      chunk({}, 'stop'),
      chunk(null, null, { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11, prompt_tokens_details: { cached_tokens: 4 } }),
    ]);
    expect(parts.map((part) => part.type)).toStrictEqual(['stream-start', 'text-start', 'text-delta', 'text-delta', 'text-end', 'finish']);
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.delta)).toStrictEqual(['Hel', 'lo.']);
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { inputTokens: { total: 9, noCache: 5, cacheRead: 4 }, outputTokens: { total: 2, text: 2 } },
    });
  });

  it('assembles parallel tool calls from pieces and gives them in index order', async () => {
    const parts = await partsOf([
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'lookup', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'add', arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '{"key":"x"}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1,"b":2}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(parts.filter((part) => part.type === 'tool-call')).toStrictEqual([
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'add', input: '{"a":1,"b":2}' },
      { type: 'tool-call', toolCallId: 'call_b', toolName: 'lookup', input: '{"key":"x"}' },
    ]);
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'tool-calls' } });
  });

  it('keeps the reasoning some servers stream apart from the answer', async () => {
    const parts = await partsOf([chunk({ reasoning_content: 'Think.' }), chunk({ content: 'Answer.' }), chunk({}, 'stop')]);
    expect(parts.map((part) => part.type)).toStrictEqual([
      'stream-start',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-end',
      'text-start',
      'text-delta',
      'text-end',
      'finish',
    ]);
  });

  it('shows a refusal as text and ends it as a content filter', async () => {
    const parts = await partsOf([chunk({ refusal: 'I cannot help with that.' }), chunk({}, 'stop')]);
    expect(parts.find((part) => part.type === 'text-delta')).toMatchObject({ delta: 'I cannot help with that.' });
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'content-filter', raw: 'stop' } });
  });

  it('reports a stream that ended without a finish reason as an error part', async () => {
    const parts = await partsOf([chunk({ content: 'Half an' })]);
    expect(parts.find((part) => part.type === 'error')).toMatchObject({ error: { message: 'the response stream ended without a finish reason' } });
  });

  it('throws what broke the connection and reads nothing after it', async () => {
    const reader = readChatChunks({
      chunks: chunksOf([chunk({ content: 'Half' })], new TypeError('terminated')),
      abort: () => undefined,
      warnings: [],
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for (;;) {
          const next = await reader.read();
          if (next.done) return;
          seen.push(next.value.type);
        }
      })(),
    ).rejects.toThrow(new TypeError('terminated'));
    expect(seen).toStrictEqual(['stream-start', 'text-start', 'text-delta']);
    await expect(reader.read()).resolves.toStrictEqual({ done: true });
  });

  it('aborts the request on cancel and then reads as ended', async () => {
    let aborted = false;
    const reader = readChatChunks({ chunks: chunksOf([chunk({ content: 'a' }), chunk({}, 'stop')]), abort: () => (aborted = true), warnings: [] });
    await reader.read();
    await reader.cancel();
    expect(aborted).toBe(true);
    await expect(reader.read()).resolves.toStrictEqual({ done: true });
  });
});
