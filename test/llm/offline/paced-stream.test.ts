import { afterEach, describe, expect, it, vi } from 'vitest';
import { pacedStream } from '../../../src/llm/offline/paced-stream.js';
import { splitIntoPieces } from '../../../src/llm/offline/split-into-pieces.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('pacedStream', () => {
  it('waits the delay between paced parts only, and none before the first', async () => {
    vi.useFakeTimers();
    const stream = pacedStream(
      [
        { part: 'start', paced: false },
        { part: 'one', paced: true },
        { part: 'two', paced: true },
        { part: 'end', paced: false },
      ],
      { delayMs: 50 },
    );
    const reader = stream.getReader();
    expect(await reader.read()).toStrictEqual({ done: false, value: 'start' });
    expect(await reader.read()).toStrictEqual({ done: false, value: 'one' });
    const second = reader.read();
    await vi.advanceTimersByTimeAsync(49);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await second).toStrictEqual({ done: false, value: 'two' });
    expect(await reader.read()).toStrictEqual({ done: false, value: 'end' });
    expect(await reader.read()).toStrictEqual({ done: true, value: undefined });
  });

  it('clears its timer when aborted, so nothing keeps the process alive', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const reader = pacedStream(
      [
        { part: 'one', paced: true },
        { part: 'two', paced: true },
      ],
      { delayMs: 10_000, signal: controller.signal },
    ).getReader();
    await reader.read();
    const pending = reader.read();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1);

    controller.abort(new Error('stop'));

    await expect(pending).rejects.toThrow('stop');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears its timer when the reader cancels', async () => {
    vi.useFakeTimers();
    const reader = pacedStream(
      [
        { part: 'one', paced: true },
        { part: 'two', paced: true },
      ],
      { delayMs: 10_000 },
    ).getReader();
    await reader.read();
    void reader.read().catch(() => undefined);
    await reader.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('splitIntoPieces', () => {
  it('cuts text into words that join back to the exact text', () => {
    const text = '  12*(3+4) = 84.\n\n- city: Tokyo ';
    expect(splitIntoPieces(text)).toStrictEqual(['  12*(3+4) ', '= ', '84.\n\n', '- ', 'city: ', 'Tokyo ']);
    expect(splitIntoPieces(text).join('')).toBe(text);
    expect(splitIntoPieces('')).toStrictEqual([]);
  });
});
