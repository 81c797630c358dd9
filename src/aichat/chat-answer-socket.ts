import { errorCodes, ParleyError, type ErrorCode } from '../errors/index.js';
import type { ErrorFrame, SequencedFrame, ServerFrame, SessionFrame } from '../protocol/index.js';
import type { FrameSocket } from '../sessions/frame-socket.js';
import { framesOfFinishedTurn } from './frames-of-finished-turn.js';
import { initialUiStreamState, uiChunksOfFrame, type UiStreamState } from './ui-chunks-of-frame.js';
import type { UiMessageEventStream } from './ui-message-event-stream.js';

/**
 * Which turn the answer streams: the one a message starts (POST, by its id), or the one in
 * progress (GET .../stream).
 */
export type WantedTurn = { messageId: string } | { inProgress: true };

/**
 * What the session said about the wanted turn: it runs (`live`, streamed from its ack), it ran
 * before (`finished`, a repeated message: its answer is streamed from history), or there is
 * none (`none`, GET only). A refused message rejects with the session's error instead.
 */
export type AnswerOutcome = 'live' | 'finished' | 'none';

const CLOSED = 3;

/**
 * A FrameSocket attached to a session like any WebSocket, for one HTTP answer: it waits for
 * the frame that decides what the answer is (the message's ack or error, or whether a turn is
 * in progress), then turns that turn's frames into the UI message stream and ends at its `done`.
 */
export class ChatAnswerSocket implements FrameSocket {
  readonly OPEN = 1;
  #readyState = 1;
  #phase: 'deciding' | 'streaming' | 'ended' = 'deciding';
  /** The client left: the turn is still told apart, but nothing is written. */
  #abandoned = false;
  #sessionFrame: SessionFrame | null = null;
  /** Frames seen while deciding: a repeated message may be the turn running now. */
  #seen: SequencedFrame[] = [];
  #state: UiStreamState = initialUiStreamState;
  readonly decided: Promise<AnswerOutcome>;
  readonly ended: Promise<void>;
  #settle!: { resolve: (outcome: AnswerOutcome) => void; reject: (error: ParleyError) => void };
  #endAnswer!: () => void;

  constructor(
    private readonly wanted: WantedTurn,
    private readonly output: UiMessageEventStream,
  ) {
    this.decided = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // A refusal is read by whoever awaits `decided`; nobody may be left to, once the client left.
    this.decided.catch(() => undefined);
    this.ended = new Promise((resolve) => {
      this.#endAnswer = resolve;
    });
  }

  get readyState(): number {
    return this.#readyState;
  }

  get bufferedAmount(): number {
    return this.#phase === 'streaming' ? this.output.bufferedBytes : 0;
  }

  /** Whether the answer reached the end of its turn (or can get no further). */
  get finished(): boolean {
    return this.#phase === 'ended';
  }

  /** Whether the streamed turn's `done` came. */
  get turnOver(): boolean {
    return this.#state.finished;
  }

  send(serialized: string): void {
    if (this.#readyState === CLOSED) return;
    const frame = JSON.parse(serialized) as ServerFrame;
    if (this.#phase === 'streaming') this.#relay(frame);
    else if (this.#phase === 'deciding') this.#consider(frame);
  }

  /** The session let go of this socket: shutdown (1001), the session moved (1012), or the client read too slowly (1008). */
  close(code: number, reason: string): void {
    if (this.#readyState === CLOSED) return;
    this.#readyState = CLOSED;
    const error =
      code === 1001
        ? new ParleyError('shutting_down', 'The server is shutting down; resume the stream shortly.')
        : code === 1008
          ? new ParleyError('slow_consumer', 'The connection read too slowly; resume the stream.')
          : new ParleyError('storage_unavailable', `The session moved to another instance (${reason}); resume the stream.`);
    if (this.#phase === 'deciding') this.#settle.reject(error);
    if (this.#phase === 'streaming' && error.code !== 'slow_consumer') this.output.write({ type: 'error', errorText: `${error.code}: ${error.message}` });
    this.#finish(error.code === 'slow_consumer');
  }

  /** The client went away: nothing more is written, but the outcome is still decided (the route may cancel the turn). */
  abandon(): void {
    this.#abandoned = true;
    this.output.destroy();
    if (this.#phase === 'streaming') this.#finish(true);
  }

  #consider(frame: ServerFrame): void {
    if (frame.type === 'session') {
      this.#sessionFrame = frame;
      if ('inProgress' in this.wanted && !frame.turn_in_progress) this.#decide('none', []);
      return;
    }
    // Neither belongs to a turn: a chat app reads the title from the sessions API.
    if (frame.type === 'pong' || frame.type === 'title') return;
    if ('inProgress' in this.wanted) {
      if (frame.type === 'ack') this.#decide('live', [frame]);
      else if (frame.type === 'done') this.#decide('none', []);
      return;
    }
    const { messageId } = this.wanted;
    if (frame.type === 'error' && frame.id === messageId) {
      this.#phase = 'ended';
      this.#settle.reject(refusalOf(frame));
      return;
    }
    if (frame.type === 'ack' && frame.id === messageId) {
      if (!frame.duplicate) return this.#decide('live', [frame]);
      const running = this.#seen.findIndex((seen) => seen.type === 'ack' && seen.seq === frame.seq);
      if (running >= 0) return this.#decide('live', this.#seen.slice(running));
      const finished = framesOfFinishedTurn(this.#sessionFrame?.history ?? [], frame.seq) ?? [frame, { type: 'done', seq: frame.seq, finish_reason: 'other' }];
      return this.#decide('finished', finished);
    }
    this.#seen.push(frame);
  }

  #decide(outcome: AnswerOutcome, frames: readonly ServerFrame[]): void {
    this.#seen = [];
    this.#settle.resolve(outcome);
    if (outcome === 'none') {
      this.#phase = 'ended';
      this.#endAnswer();
      return;
    }
    this.#phase = 'streaming';
    for (const frame of frames) this.#relay(frame);
    if (this.#abandoned) this.#finish(true);
  }

  #relay(frame: ServerFrame): void {
    const step = uiChunksOfFrame(this.#state, frame);
    this.#state = step.state;
    if (this.#abandoned) {
      if (step.state.finished) this.#finish(true);
      return;
    }
    for (const chunk of step.chunks) this.output.write(chunk);
    if (step.state.finished) this.#finish(false);
  }

  #finish(cut: boolean): void {
    if (this.#phase === 'ended') return;
    this.#phase = 'ended';
    if (cut) this.output.destroy();
    else this.output.end();
    this.#endAnswer();
  }
}

/** The session's refusal of the message, as the error the HTTP answer carries. */
function refusalOf(frame: ErrorFrame): ParleyError {
  const code: ErrorCode = frame.code in errorCodes ? (frame.code as ErrorCode) : 'internal';
  return new ParleyError(code, frame.message, frame.retry_after_s === undefined ? {} : { retryAfterSeconds: frame.retry_after_s });
}
