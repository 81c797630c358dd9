import { streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../../src/llm/offline/offline-model.js';
import { offlineIntro } from '../../../src/llm/offline/offline-texts.js';
import { seen, type SeenPart } from './stream-helpers.js';

const tokenDelayMs = 2_000;

describe('cancelling the offline model', () => {
  it('stops mid-answer well within one token delay, keeping the partial text', async () => {
    const controller = new AbortController();
    const result = streamText({
      model: createOfflineModel({ tokenDelayMs }),
      prompt: 'who are you?',
      abortSignal: controller.signal,
      maxRetries: 0,
    });

    const parts: SeenPart[] = [];
    let abortedAt = 0;
    for await (const part of result.fullStream) {
      parts.push(...seen(part));
      if (part.type === 'text-delta' && parts.length === 1) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    const stoppedAfterMs = performance.now() - abortedAt;

    // The first piece comes at once; the abort lands while the model waits to send the second.
    expect(parts).toStrictEqual([{ type: 'text', text: "I'm " }, { type: 'abort' }]);
    expect(offlineIntro.startsWith("I'm ")).toBe(true);
    expect(stoppedAfterMs).toBeLessThan(tokenDelayMs / 2);
  });

  it('fails the stream with the abort reason, as a provider whose request was aborted does', async () => {
    const controller = new AbortController();
    const reason = new Error('turn cancelled');
    const { stream } = await createOfflineModel({ tokenDelayMs }).doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'hello there' }] }],
      abortSignal: controller.signal,
    });
    const reader = stream.getReader();
    const types: string[] = [];
    for (;;) {
      const { value } = await reader.read();
      types.push(value!.type);
      if (value?.type === 'text-delta') break;
    }
    const pending = reader.read();
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    expect(types).toStrictEqual(['stream-start', 'text-start', 'text-delta']);
  });

  it('refuses to start when the signal is already aborted', async () => {
    const reason = new Error('too late');
    const options = { prompt: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hello' }] }], abortSignal: AbortSignal.abort(reason) };
    await expect(createOfflineModel({ tokenDelayMs }).doStream(options)).rejects.toBe(reason);
    await expect(createOfflineModel({ tokenDelayMs }).doGenerate(options)).rejects.toBe(reason);
  });
});
