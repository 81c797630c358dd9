import { getEventListeners } from 'node:events';
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

  it("aborts a stopped answer's request, and leaves a finished answer's request alone", async () => {
    const offline = createOfflineModel({ tokenDelayMs: 0 });
    const signals: AbortSignal[] = [];
    const recording = {
      ...offline,
      doStream: (callOptions: Parameters<typeof offline.doStream>[0]) => {
        signals.push(callOptions.abortSignal!);
        return offline.doStream(callOptions);
      },
    };
    const model = createResilientModel([{ provider: 'offline', modelId: 'parley-offline', model: recording }], options);
    const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'what can you do?' }] }];

    const stopped = await model.openStep({ prompt });
    await stopped.read();
    await stopped.cancel('reader left');

    const finished = await model.openStep({ prompt });
    while (!(await finished.read()).done);
    await finished.cancel();

    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
  });

  it("follows the caller's cancel only while an answer runs: a long-lived signal collects no listeners", async () => {
    const offline = createOfflineModel({ tokenDelayMs: 0 });
    let requestSignal: AbortSignal | undefined;
    const recording = {
      ...offline,
      doStream: (callOptions: Parameters<typeof offline.doStream>[0]) => {
        requestSignal = callOptions.abortSignal;
        return offline.doStream(callOptions);
      },
    };
    const model = createResilientModel([{ provider: 'offline', modelId: 'parley-offline', model: recording }], options);
    const caller = new AbortController();
    const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];

    for (let answer = 0; answer < 5; answer += 1) {
      const step = await model.openStep({ prompt, abortSignal: caller.signal });
      while (!(await step.read()).done);
    }
    const stopped = await model.openStep({ prompt, abortSignal: caller.signal });
    await stopped.cancel();
    await model.doGenerate({ prompt, abortSignal: caller.signal });
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);

    await model.openStep({ prompt, abortSignal: caller.signal });
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    caller.abort('cancelled');
    expect(requestSignal?.reason).toBe('cancelled');
  });
});
