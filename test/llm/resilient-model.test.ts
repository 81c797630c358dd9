import { streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/llm/offline/offline-model.js';
import { createResilientModel } from '../../src/llm/resilient-model.js';

const options = { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 }, firstTokenTimeoutMs: 5_000, idleTimeoutMs: 5_000 };

describe('the resilient model outside the turn loop', () => {
  it("streams through the AI SDK's own streamText, as a plugin would use it", async () => {
    const offline = createOfflineModel({ tokenDelayMs: 0 });
    const model = createResilientModel([{ provider: 'offline', modelId: 'parley-offline', model: offline }], options);

    const direct = streamText({ model: offline, prompt: 'what can you do?' });
    const resilient = streamText({ model, prompt: 'what can you do?' });

    const text = await resilient.text;
    expect(text.length).toBeGreaterThan(20);
    expect(text).toBe(await direct.text);
    expect(await resilient.finishReason).toBe('stop');
  });

  it('lets the provider go when the reader stops early', async () => {
    const controller = new AbortController();
    const model = createResilientModel(
      [{ provider: 'offline', modelId: 'parley-offline', model: createOfflineModel({ tokenDelayMs: 5 }) }],
      options,
    );
    const step = await model.openStep({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'what can you do?' }] }], abortSignal: controller.signal });
    const first = await step.read();
    expect(first.done).toBe(false);

    await step.cancel('reader left');

    await expect(step.read()).resolves.toMatchObject({ done: true });
  });
});
