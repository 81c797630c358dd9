import type { TurnEvent } from '../../../src/llm/turn-event.js';

/**
 * A model's turn events, given by the test one at a time (the model is not the subject), so a
 * test decides what has arrived at each moment. Ends when the test ends it or the turn aborts.
 */
export class TurnScript {
  readonly #queue: Array<TurnEvent | 'end' | Error> = [];
  #wake: (() => void) | null = null;
  /** Set once the turn let go of the stream (cancelled, or read to its end). */
  released = false;

  push(...events: TurnEvent[]): void {
    this.#queue.push(...events);
    this.#wake?.();
  }

  text(...pieces: string[]): void {
    this.push(...pieces.map((text): TurnEvent => ({ type: 'text', text })));
  }

  finish(): void {
    this.push({ type: 'finish', finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 5 } });
    this.#queue.push('end');
    this.#wake?.();
  }

  fail(error: Error): void {
    this.#queue.push(error);
    this.#wake?.();
  }

  readonly events = (signal: AbortSignal): AsyncGenerator<TurnEvent> => this.#read(signal);

  async *#read(signal: AbortSignal): AsyncGenerator<TurnEvent> {
    try {
      for (;;) {
        const next = this.#queue.shift();
        if (next === 'end') return;
        if (next instanceof Error) throw next;
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (signal.aborted) throw signal.reason;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        this.#wake = null;
      }
    } finally {
      this.released = true;
    }
  }
}
