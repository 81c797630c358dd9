import { describe, expect, it } from 'vitest';
import { startEarly } from '../../src/sessions/start-early.js';

/** A source that records when it was asked for and whether its signal was aborted. */
function recordingSource(events: string[], options: { failWith?: Error } = {}) {
  const seen = { started: false, aborted: false, finished: false };
  const start = async function* (signal: AbortSignal): AsyncGenerator<string, void> {
    seen.started = true;
    signal.addEventListener('abort', () => {
      seen.aborted = true;
    });
    try {
      if (options.failWith) throw options.failWith;
      for (const event of events) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (signal.aborted) return;
        yield event;
      }
    } finally {
      seen.finished = true;
    }
  };
  return { start, seen };
}

async function readAll(events: AsyncGenerator<string, void>): Promise<string[]> {
  const read: string[] = [];
  for await (const event of events) read.push(event);
  return read;
}

describe('startEarly', () => {
  it('asks the source at once and hands every event on, in order, once taken', async () => {
    const { start, seen } = recordingSource(['a', 'b', 'c']);
    const early = startEarly(start);
    expect(seen.started).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await readAll(early.take(new AbortController().signal, () => undefined))).toEqual(['a', 'b', 'c']);
  });

  it('cancels the request and closes the source when the message is dropped', async () => {
    const { start, seen } = recordingSource(['a', 'b']);
    const early = startEarly(start);
    early.drop(new Error('not stored'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.aborted).toBe(true);
    expect(seen.finished).toBe(true);
  });

  it("passes the turn's cancel on to the request", async () => {
    const { start, seen } = recordingSource(['a', 'b', 'c']);
    const turn = new AbortController();
    const events = startEarly(start).take(turn.signal, () => undefined);
    expect((await events.next()).value).toBe('a');
    turn.abort();
    expect(seen.aborted).toBe(true);
    expect(await readAll(events)).toEqual([]);
  });

  it('gives a failing source its error to the reader, and none to the process when dropped', async () => {
    const failing = recordingSource([], { failWith: new Error('model down') });
    await expect(readAll(startEarly(failing.start).take(new AbortController().signal, () => undefined))).rejects.toThrow('model down');
    const dropped = recordingSource([], { failWith: new Error('model down') });
    startEarly(dropped.start).drop(new Error('not stored'));
    // An unhandled rejection would fail this test run.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(dropped.seen.finished).toBe(true);
  });
});
