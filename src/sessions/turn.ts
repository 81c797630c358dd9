import { ParleyError, toParleyError } from '../errors/index.js';
import type { FinishReason, HistoryItem, TurnStatus, UnsequencedFrame } from '../protocol/index.js';
import type { TurnEvent, TurnUsage } from '../llm/turn-event.js';
import type { NewEvent } from '../store/types.js';
import { waitAtMost } from '../time/wait-at-most.js';

/** How a turn reaches the outside: the session numbers, fans out and logs what it emits. */
export interface TurnOutput {
  /** A piece of the answer; pieces that arrive in one event-loop turn go out as one frame. */
  token(text: string): void;
  /** Numbers the frame, sends it to every socket, keeps it for replay; returns its seq. */
  emit(frame: UnsequencedFrame): number;
  /** Takes the next seq for a frame sent later with `emitAt` (nothing else is numbered meanwhile). */
  reserveSeq(): number;
  emitAt(seq: number, frame: UnsequencedFrame): void;
  /**
   * Queues the event for the database and adds it to the history; resolves true once durable,
   * false if it could not be stored; never rejects.
   */
  record(event: Pick<NewEvent, 'event_type' | 'content' | 'metadata'>, seq: number): Promise<boolean>;
  /** How long `done` waits for the answer to be durable before it is sent anyway (the write goes on). */
  durableWaitMs: number;
  /** Saves the answer so far, as the assistant_message it would be if the turn stopped here; never waits. */
  checkpoint(content: string, metadata: Record<string, unknown>): void;
  /** The turn's own assistant_message is stored: its checkpoint goes. Called only after a checkpoint. */
  checkpointDone(): void;
  /** A checkpoint follows new text after at most `ms`, or at once after `pieces` pieces of text. */
  checkpointEvery: { ms: number; pieces: number };
}

export interface TurnResult {
  status: TurnStatus;
  text: string;
  finishReason: FinishReason;
  usage: TurnUsage;
  ttftMs: number | null;
  durationMs: number;
  /** The model that answered, when one started. */
  model: string | null;
  error?: ParleyError;
}

interface TurnProgress {
  text: string;
  ttftMs: number | null;
  finishReason: FinishReason;
  usage: TurnUsage | null;
  /** The model answering, once a step names it (analytics count tokens by model). */
  model: string | null;
}

export type EstimateUsage = (history: readonly HistoryItem[], text: string) => TurnUsage;

/**
 * One assistant turn as a handle (LiveKit's SpeechHandle): a closed set of states and
 * its own AbortController. `cancel` ends it at once: the text already delivered is what is
 * saved, marked cancelled or interrupted; the model stream is released in the background.
 */
export class Turn {
  readonly #controller = new AbortController();
  #status: TurnStatus | 'running' = 'running';
  #stopReason: 'cancelled' | 'interrupted' | null = null;
  #wakeOnCancel: (() => void) | null = null;
  readonly #progress: TurnProgress = { text: '', ttftMs: null, finishReason: 'stop', usage: null, model: null };
  /** Pieces of text since the last checkpoint, and the timer that saves them. */
  #unsavedPieces = 0;
  #checkpointTimer: NodeJS.Timeout | undefined;
  #checkpointed = false;
  readonly done: Promise<TurnResult>;

  constructor(
    events: (signal: AbortSignal, onModel: (modelId: string) => void) => AsyncGenerator<TurnEvent>,
    private readonly output: TurnOutput,
    private readonly history: readonly HistoryItem[],
    private readonly estimateUsage: EstimateUsage,
    private readonly startedAt: number = performance.now(),
  ) {
    this.done = this.#run(events(this.#controller.signal, (modelId) => {
      this.#progress.model = modelId;
    }));
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
    const progress = this.#progress;
    let error: ParleyError | undefined;
    const cancelled = new Promise<void>((resolve) => {
      this.#wakeOnCancel = resolve;
    });
    // One race for the whole turn, not one per token: a cancel ends the turn at once even if
    // the model stream is slow to let go; `#consume` emits nothing once a cancel came.
    const consumed = this.#consume(events, progress);
    consumed.catch(() => undefined);
    try {
      await Promise.race([consumed, cancelled]);
    } catch (thrown) {
      if (this.#stopReason === null) {
        error = toParleyError(thrown, 'llm_error');
        progress.finishReason = 'error';
      }
    }
    const { text, ttftMs, usage, model } = progress;
    let { finishReason } = progress;

    if (this.#stopReason !== null) {
      finishReason = this.#stopReason;
      // Let the provider's stream and any running tool go; their late output is discarded.
      void events.return(undefined).catch(() => undefined);
    }

    this.#stopCheckpoints();
    const status: TurnStatus = this.#stopReason ?? (error ? 'error' : 'complete');
    const finalUsage = usage ?? this.estimateUsage(this.history, text);
    const durationMs = this.#elapsed();

    if (error) this.output.emit(error.toFrame());
    // `done` means the answer is stored: it waits for the assistant_message (and, the writer
    // being ordered, every event before it). Tokens never wait; only this last frame does.
    const doneSeq = this.output.reserveSeq();
    this.#status = status;
    const stored = this.output.record(
      {
        event_type: 'assistant_message',
        content: text,
        metadata: answerMetadata({ status, finishReason, ttftMs, durationMs, usage: finalUsage, model, ...(error ? { error } : {}) }),
      },
      doneSeq,
    );
    if (this.#checkpointed) {
      void stored.then((durable) => {
        if (durable) this.output.checkpointDone();
      });
    }
    await waitAtMost(stored, this.output.durableWaitMs);
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
      // Which model answered (a fallback's when the pick could not start), as the assistant_message records it.
      ...(model === null ? {} : { model }),
    });
    return { status, text, finishReason, usage: finalUsage, ttftMs, durationMs, model, ...(error ? { error } : {}) };
  }

  async #consume(events: AsyncGenerator<TurnEvent>, progress: TurnProgress): Promise<void> {
    for await (const event of events) {
      if (this.#stopReason !== null) return;
      switch (event.type) {
        case 'text':
          if (progress.ttftMs === null) progress.ttftMs = this.#elapsed();
          progress.text += event.text;
          this.output.token(event.text);
          this.#noteUnsavedText();
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
          progress.finishReason = event.finishReason;
          progress.usage = event.usage;
          break;

      }
    }
  }

  #noteUnsavedText(): void {
    this.#unsavedPieces += 1;
    if (this.#unsavedPieces >= this.output.checkpointEvery.pieces) {
      this.#saveCheckpoint();
      return;
    }
    if (this.#checkpointTimer === undefined) {
      this.#checkpointTimer = setTimeout(this.#saveCheckpoint, this.output.checkpointEvery.ms);
      // A pending checkpoint must not keep a stopping process alive.
      this.#checkpointTimer.unref();
    }
  }

  /** What the answer would be stored as if the turn stopped now: what a crash keeps. */
  readonly #saveCheckpoint = (): void => {
    clearTimeout(this.#checkpointTimer);
    this.#checkpointTimer = undefined;
    if (this.#unsavedPieces === 0 || !this.running) return;
    this.#unsavedPieces = 0;
    this.#checkpointed = true;
    const { text, ttftMs, model } = this.#progress;
    this.output.checkpoint(
      text,
      answerMetadata({
        status: 'interrupted',
        finishReason: 'interrupted',
        ttftMs,
        durationMs: this.#elapsed(),
        usage: this.estimateUsage(this.history, text),
        model,
      }),
    );
  };

  #stopCheckpoints(): void {
    clearTimeout(this.#checkpointTimer);
    this.#checkpointTimer = undefined;
    this.#unsavedPieces = 0;
  }

  #elapsed(): number {
    return Math.round((performance.now() - this.startedAt) * 10) / 10;
  }
}

/** The metadata of a turn's assistant_message (CONTRACT.md: its status and measures). */
function answerMetadata(answer: {
  status: TurnStatus;
  finishReason: FinishReason;
  ttftMs: number | null;
  durationMs: number;
  usage: TurnUsage;
  model: string | null;
  error?: ParleyError;
}): Record<string, unknown> {
  const { status, finishReason, ttftMs, durationMs, usage, model, error } = answer;
  return {
    status,
    finish_reason: finishReason,
    ttft_ms: ttftMs,
    duration_ms: durationMs,
    prompt_tokens: usage.promptTokens ?? null,
    completion_tokens: usage.completionTokens ?? null,
    usage_estimated: usage.estimated ?? false,
    ...(model === null ? {} : { model }),
    ...(error ? { error_code: error.code, error_message: error.message } : {}),
  };
}
