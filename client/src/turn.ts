import { ParleyClientError } from './client-error.js';
import type { AckFrame, DoneFrame, FinishReason, ServerFrame } from './frames.js';

/** A frame of one turn, after its ack: `token`, `tool_call`, `tool_result`, `error` (about the turn), `done`. */
export type TurnFrame = Extract<ServerFrame, { type: 'token' | 'tool_call' | 'tool_result' | 'error' | 'done' }>;

/** How a turn ended. */
export interface TurnEnd {
  finishReason: FinishReason;
  /** The whole answer. */
  text: string;
  /** The `done` frame; null when the turn ended while the client was away and was read from the session's history. */
  frame: DoneFrame | null;
  /** The error the turn failed with (`finishReason` `error`). */
  error: ParleyClientError | null;
}

/** Marks a promise as handled: nobody has to await a turn's promises, and none is reported as unhandled. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * One exchange: a user message (this client's, another tab's, or one joined mid-answer) and
 * its answer. Its frames can be read any number of times, each reader from the start.
 */
export class Turn {
  /** The message id; undefined for a turn joined after its ack. */
  readonly id: string | undefined;
  /**
   * Resolves with the `ack` once the server stored the message; rejects when it refused it.
   * A turn joined after its ack (`id` undefined) has none, and this never settles.
   */
  readonly acked: Promise<AckFrame>;
  /** Resolves when the answer is over (complete, cancelled, interrupted or failed); rejects when the message was refused. */
  readonly done: Promise<TurnEnd>;
  #ackSeq: number | undefined;
  #text = '';
  readonly #frames: TurnFrame[] = [];
  #ended = false;
  #failure: ParleyClientError | null = null;
  #wake: Array<() => void> = [];
  #resolveAck!: (frame: AckFrame) => void;
  #rejectAck!: (error: ParleyClientError) => void;
  #resolveDone!: (end: TurnEnd) => void;
  #rejectDone!: (error: ParleyClientError) => void;

  constructor(id: string | undefined, private readonly cancelTurn: () => void = () => undefined) {
    this.id = id;
    this.acked = quiet(new Promise((resolve, reject) => {
      this.#resolveAck = resolve;
      this.#rejectAck = reject;
    }));
    this.done = quiet(new Promise((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    }));
  }

  /** The seq of the user message; undefined until acked (or for a turn joined mid-answer). */
  get ackSeq(): number | undefined {
    return this.#ackSeq;
  }

  /** The answer's text so far. */
  get text(): string {
    return this.#text;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Stops this turn's answer (the session's turn in progress). */
  cancel(): void {
    if (!this.#ended) this.cancelTurn();
  }

  /** The answer's text pieces, in order; ends when the turn does, throwing its error if it failed. */
  get tokens(): AsyncIterable<string> {
    const frames = this.frames;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const frame of frames) if (frame.type === 'token') yield frame.content;
      },
    };
  }

  /** Every frame of the turn after its ack, through `done`. */
  get frames(): AsyncIterable<TurnFrame> {
    return { [Symbol.asyncIterator]: () => this.#read() };
  }

  async *#read(): AsyncGenerator<TurnFrame> {
    for (let index = 0; ; index += 1) {
      while (index >= this.#frames.length && !this.#ended) await new Promise<void>((resolve) => this.#wake.push(resolve));
      if (index < this.#frames.length) {
        yield this.#frames[index]!;
        continue;
      }
      if (this.#failure) throw this.#failure;
      return;
    }
  }

  acknowledge(frame: AckFrame): void {
    this.#ackSeq = frame.seq;
    this.#resolveAck(frame);
  }

  /** The server refused the message (busy, rate limited, not stored): no answer follows. */
  refuse(error: ParleyClientError): void {
    if (this.#ended) return;
    this.#failure = error;
    this.#rejectAck(error);
    this.#rejectDone(error);
    this.#end();
  }

  push(frame: TurnFrame): void {
    if (this.#ended) return;
    this.#frames.push(frame);
    if (frame.type === 'token') this.#text += frame.content;
    if (frame.type === 'error') this.#failure = ParleyClientError.fromFrame(frame);
    if (frame.type === 'done') this.#finish(frame.finish_reason, frame);
    else this.#notify();
  }

  /**
   * Ends a turn that finished while the client was away, from the answer the session's
   * history holds: the text not seen yet comes as one last token, so the whole is never short.
   */
  finishFromHistory(answer: { content: string; seq: number; finishReason: FinishReason } | null): void {
    if (this.#ended) return;
    if (answer !== null && answer.content.startsWith(this.#text) && answer.content.length > this.#text.length) {
      this.push({ type: 'token', seq: answer.seq, content: answer.content.slice(this.#text.length) });
    }
    this.#finish(answer?.finishReason ?? 'interrupted', null);
  }

  /** The client was closed: readers stop with `client_closed`. */
  abandon(error: ParleyClientError): void {
    if (this.#ended) return;
    if (this.#ackSeq === undefined) return this.refuse(error);
    this.#failure = error;
    this.#resolveDone({ finishReason: 'interrupted', text: this.#text, frame: null, error });
    this.#end();
  }

  #finish(finishReason: FinishReason, frame: DoneFrame | null): void {
    if (finishReason !== 'error') this.#failure = null;
    this.#resolveDone({ finishReason, text: this.#text, frame, error: this.#failure });
    this.#end();
  }

  #end(): void {
    this.#ended = true;
    this.#notify();
  }

  #notify(): void {
    const waiting = this.#wake;
    this.#wake = [];
    for (const wake of waiting) wake();
  }
}
