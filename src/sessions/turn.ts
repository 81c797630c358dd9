import { ParleyError, toParleyError } from '../errors/index.js';
import type { FinishReason, HistoryItem, TurnStatus, UnsequencedFrame } from '../protocol/index.js';
import type { TurnEvent, TurnUsage } from '../llm/turn-event.js';
import type { NewEvent } from '../store/types.js';

/** How a turn reaches the outside: the session numbers, fans out and logs what it emits. */
export interface TurnOutput {
  /** Numbers the frame, sends it to every socket, keeps it for replay; returns its seq. */
  emit(frame: UnsequencedFrame): number;
  /** Takes the next seq for a frame sent later with `emitAt` (nothing else is numbered meanwhile). */
  reserveSeq(): number;
  emitAt(seq: number, frame: UnsequencedFrame): void;
  /**
   * Queues the event for the database and adds it to the history. Resolves once it is
   * durable, or after `durableWaitMs` if the database is slow (the write goes on); never rejects.
   */
  record(event: Pick<NewEvent, 'event_type' | 'content' | 'metadata'>, seq: number): Promise<void>;
}

export interface TurnResult {
  status: TurnStatus;
  text: string;
  finishReason: FinishReason;
  usage: TurnUsage;
  ttftMs: number | null;
  durationMs: number;
  error?: ParleyError;
}

export type EstimateUsage = (history: readonly HistoryItem[], text: string) => TurnUsage;



/**
 * One assistant turn as a handle (LiveKit's SpeechHandle): an id, a closed set of states,
 * its own AbortController. `cancel` ends it at once: the text already delivered is what is
 * saved, marked cancelled or interrupted; the model stream is released in the background.
 */
export class Turn {
  readonly #controller = new AbortController();
  #status: TurnStatus | 'running' = 'running';
  #stopReason: 'cancelled' | 'interrupted' | null = null;
  #wakeOnCancel: (() => void) | null = null;
  readonly done: Promise<TurnResult>;

  constructor(
    readonly id: string,
    events: (signal: AbortSignal) => AsyncGenerator<TurnEvent>,
    private readonly output: TurnOutput,
    private readonly history: readonly HistoryItem[],
    private readonly estimateUsage: EstimateUsage,
    private readonly startedAt: number = performance.now(),
  ) {
    this.done = this.#run(events(this.#controller.signal));
  }

  get status(): TurnStatus | 'running' {
    return this.#status;
  }

  get running(): boolean {
    return this.#status === 'running';
  }

  /** Stops the turn; `interrupted` when a new message replaced it. Resolves when it has ended. */
  cancel(reason: 'cancelled' | 'interrupted' = 'cancelled'): Promise<TurnResult> {
    if (this.#status === 'running' && this.#stopReason === null) {
      this.#stopReason = reason;
      this.#controller.abort(new ParleyError('internal', `turn ${reason}`));
      this.#wakeOnCancel?.();
    }
    return this.done;
  }

  async #run(events: AsyncGenerator<TurnEvent>): Promise<TurnResult> {
    let text = '';
    let ttftMs: number | null = null;
    let finishReason: FinishReason = 'stop';
    let usage: TurnUsage | null = null;
    let error: ParleyError | undefined;

    const cancelled = new Promise<'cancelled'>((resolve) => {
      this.#wakeOnCancel = () => resolve('cancelled');
    });

    try {
      while (this.#stopReason === null) {
        const pending = events.next();
        // After a cancel nobody awaits this promise; its rejection must not go unhandled.
        pending.catch(() => undefined);
        const next = await Promise.race([pending, cancelled]);
        if (next === 'cancelled' || next.done) break;
        const event = next.value;
        switch (event.type) {
          case 'text':
            if (ttftMs === null) ttftMs = this.#elapsed();
            text += event.text;
            this.output.emit({ type: 'token', content: event.text });
            break;
          case 'tool_call': {
            const seq = this.output.emit({ type: 'tool_call', call_id: event.callId, name: event.name, arguments: event.arguments });
            void this.output.record(
              { event_type: 'tool_call', content: event.name, metadata: { call_id: event.callId, name: event.name, arguments: event.arguments } },
              seq,
            );
            break;
          }
          case 'tool_result': {
            const outcome = event.error === undefined ? { result: event.result ?? null } : { error: event.error };
            const seq = this.output.emit({
              type: 'tool_result',
              call_id: event.callId,
              name: event.name,
              ...outcome,
              duration_ms: event.durationMs,
            });
            void this.output.record(
              {
                event_type: 'tool_result',
                content: event.name,
                metadata: { call_id: event.callId, name: event.name, ...outcome, duration_ms: event.durationMs },
              },
              seq,
            );
            break;
          }
          case 'finish':
            finishReason = event.finishReason;
            usage = event.usage;
            break;
        }
      }
    } catch (thrown) {
      if (this.#stopReason === null) {
        error = toParleyError(thrown, 'llm_error');
        finishReason = 'error';
      }
    }

    if (this.#stopReason !== null) {
      finishReason = this.#stopReason;
      // Let the provider's stream and any running tool go; their late output is discarded.
      void events.return(undefined).catch(() => undefined);
    }

    const status: TurnStatus = this.#stopReason ?? (error ? 'error' : 'complete');
    const finalUsage = usage ?? this.estimateUsage(this.history, text);
    const durationMs = this.#elapsed();

    if (error) this.output.emit(error.toFrame());
    // `done` means the answer is stored: it waits for the assistant_message (and, the writer
    // being ordered, every event before it). Tokens never wait; only this last frame does.
    const doneSeq = this.output.reserveSeq();
    this.#status = status;
    await this.output.record(
      {
        event_type: 'assistant_message',
        content: text,
        metadata: {
          status,
          finish_reason: finishReason,
          ttft_ms: ttftMs,
          duration_ms: durationMs,
          prompt_tokens: finalUsage.promptTokens ?? null,
          completion_tokens: finalUsage.completionTokens ?? null,
          usage_estimated: finalUsage.estimated ?? false,
          ...(error ? { error_code: error.code, error_message: error.message } : {}),
        },
      },
      doneSeq,
    );
    this.output.emitAt(doneSeq, {
      type: 'done',
      finish_reason: finishReason,
      usage: {
        ...(finalUsage.promptTokens === undefined ? {} : { prompt_tokens: finalUsage.promptTokens }),
        ...(finalUsage.completionTokens === undefined ? {} : { completion_tokens: finalUsage.completionTokens }),
        ...(finalUsage.estimated ? { estimated: true } : {}),
      },
      ...(ttftMs === null ? {} : { ttft_ms: ttftMs }),
      duration_ms: durationMs,
    });
    return { status, text, finishReason, usage: finalUsage, ttftMs, durationMs, ...(error ? { error } : {}) };
  }

  #elapsed(): number {
    return Math.round((performance.now() - this.startedAt) * 10) / 10;
  }
}
