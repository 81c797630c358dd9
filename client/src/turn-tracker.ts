import { ParleyClientError } from './client-error.js';
import type { FinishReason, HistoryItem, MessageFrame, ServerFrame, SessionFrame, TurnStatus } from './frames.js';
import { Turn } from './turn.js';

const finishReasonOf: Record<TurnStatus, FinishReason> = {
  complete: 'stop',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  error: 'error',
};

/** What a frame does to the turns: whether listeners get it, and the turn it started, if any. */
export interface FrameEffect {
  deliver: boolean;
  started: Turn | null;
}

/**
 * Sorts a session's frames into turns, without sockets: one turn runs at a time, so every
 * frame from an `ack` through the next `done` belongs to it. Keeps the highest `seq` seen, so
 * a reconnect asks for what follows it and a frame seen twice is dropped.
 */
export class TurnTracker {
  /** Sent (or waiting to be sent) and not acked yet, by message id, in sending order. */
  readonly #pending = new Map<string, { turn: Turn; frame: MessageFrame }>();
  #current: Turn | null = null;
  /** The current turn's answer is the first one after this seq: its ack's, or just before the first frame seen of it. */
  #currentSince = -1;
  #lastSeq: number;

  constructor(after: number, private readonly newTurn: (id: string | undefined) => Turn) {
    this.#lastSeq = after;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** The turn whose answer is being written, if any. */
  get current(): Turn | null {
    return this.#current;
  }

  sent(turn: Turn, frame: MessageFrame & { id: string }): void {
    this.#pending.set(frame.id, { turn, frame });
  }

  /**
   * A (re)connect: turns that ended while the client was away are ended from `history`, and
   * the pending messages it does not hold are returned, to be sent again with their ids (the
   * server runs an id once, so a message stored before the drop is not run twice).
   */
  connected(frame: SessionFrame): MessageFrame[] {
    const history = frame.history ?? [];
    const current = this.#current;
    if (current !== null) {
      const answer = answerAfter(history, this.#currentSince);
      if (answer !== null || !frame.turn_in_progress) {
        current.finishFromHistory(answer);
        this.#current = null;
      }
    }
    const toSend: MessageFrame[] = [];
    for (const [id, { turn, frame: message }] of this.#pending) {
      const stored = history.find((item): item is Extract<HistoryItem, { type: 'user_message' }> => item.type === 'user_message' && item.id === id);
      if (stored === undefined) {
        toSend.push(message);
        continue;
      }
      this.#pending.delete(id);
      turn.acknowledge({ type: 'ack', seq: stored.seq, id, content: stored.content });
      turn.finishFromHistory(answerAfter(history, stored.seq));
    }
    return toSend;
  }

  frame(frame: ServerFrame): FrameEffect {
    const seq = 'seq' in frame ? frame.seq : undefined;
    const duplicateAck = frame.type === 'ack' && frame.duplicate === true;
    if (seq !== undefined && !duplicateAck) {
      if (seq <= this.#lastSeq) return { deliver: false, started: null };
      this.#lastSeq = seq;
    }
    switch (frame.type) {
      case 'ack': {
        const own = frame.id === undefined ? undefined : this.#pending.get(frame.id)?.turn;
        if (frame.id !== undefined) this.#pending.delete(frame.id);
        if (duplicateAck) {
          // Stored before this client saw it, and not in the history it was given: its answer is unknown here.
          own?.acknowledge(frame);
          own?.finishFromHistory(null);
          return { deliver: true, started: null };
        }
        this.#current?.finishFromHistory(null);
        const turn = own ?? this.newTurn(frame.id);
        turn.acknowledge(frame);
        this.#current = turn;
        this.#currentSince = frame.seq;
        return { deliver: true, started: own ? null : turn };
      }
      case 'error': {
        const own = frame.id === undefined ? undefined : this.#pending.get(frame.id)?.turn;
        if (own) {
          this.#pending.delete(frame.id!);
          own.refuse(ParleyClientError.fromFrame(frame));
          return { deliver: true, started: null };
        }
        if (seq === undefined) return { deliver: true, started: null };
        return this.#intoCurrent(frame);
      }
      case 'token':
      case 'tool_call':
      case 'tool_result':
      case 'done':
        return this.#intoCurrent(frame);
      default:
        return { deliver: true, started: null };
    }
  }

  /** Ends every turn: the client is closed. */
  close(error: ParleyClientError): void {
    for (const { turn } of this.#pending.values()) turn.refuse(error);
    this.#pending.clear();
    this.#current?.abandon(error);
    this.#current = null;
  }

  #intoCurrent(frame: Extract<ServerFrame, { type: 'token' | 'tool_call' | 'tool_result' | 'error' | 'done' }>): FrameEffect {
    // Joined mid-answer (another tab's turn, or one running when this client connected).
    const started = this.#current === null ? this.newTurn(undefined) : null;
    if (started) this.#currentSince = frame.seq === undefined ? this.#lastSeq : frame.seq - 1;
    const turn = this.#current ?? started!;
    this.#current = frame.type === 'done' ? null : turn;
    turn.push(frame);
    return { deliver: true, started };
  }
}

/** The first answer after a user message's seq, as history holds it. */
function answerAfter(history: readonly HistoryItem[], seq: number): { content: string; seq: number; finishReason: FinishReason } | null {
  const answer = history.find((item): item is Extract<HistoryItem, { type: 'assistant_message' }> => item.type === 'assistant_message' && item.seq > seq);
  return answer === undefined ? null : { content: answer.content, seq: answer.seq, finishReason: finishReasonOf[answer.status] };
}
