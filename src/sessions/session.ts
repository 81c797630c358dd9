import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { ParleyError, toParleyError } from '../errors/index.js';
import type { ModelRunner } from '../llm/model-runner.js';
import type { ClientFrame, HistoryItem, MessageFrame, SessionFrame, UnsequencedFrame } from '../protocol/index.js';
import type { QuotaGate } from '../quotas/quota-gate.js';
import type { NewEvent } from '../store/types.js';
import { historyItemFromEvent } from './history-from-events.js';
import { Subscriber, type BackpressureLimits } from './subscriber.js';
import { Turn, type EstimateUsage, type TurnResult } from './turn.js';

export interface SessionDependencies {
  writer: { append(event: NewEvent, options?: { deadlineMs?: number }): Promise<void> };
  runner: ModelRunner;
  estimateUsage: EstimateUsage;
  /** Per-user message rate and daily model tokens, shared by every session and instance. */
  quota?: QuotaGate;
  limits: {
    maxMessageChars: number;
    /**
     * How long the user's message may wait for the database before the user is told, and
     * how long `done` waits for the answer to be stored before it is sent anyway.
     */
    ackDeadlineMs: number;
    backpressure: BackpressureLimits;
  };
  onTurnEnd?: (session: Session, result: TurnResult) => void;
  onSlowConsumer?: () => void;
  onWriteError?: (error: unknown) => void;
}

interface ReplayFrame {
  seq: number;
  serialized: string;
  token?: string;
}

/**
 * One conversation in memory: its seq counter, its history, the sockets attached to it, and
 * at most one running turn. Frames are numbered and serialized once, then fanned out.
 */
export class Session {
  readonly #subscribers = new Set<Subscriber>();
  readonly #acceptedIds = new Map<string, number>();
  readonly #history: HistoryItem[];
  #seq: number;
  #turn: Turn | null = null;
  /** True from a message's acceptance to the end of its turn: one turn at a time. */
  #busy = false;
  /** Frames of the turn in progress, for `?after=` replay. */
  #turnFrames: ReplayFrame[] = [];
  /** Index in #history where the turn in progress starts; its items are not "history" yet. */
  #turnHistoryStart = 0;
  /** The quota account whose message started the turn in progress: its tokens are charged there. */
  #turnAccount: string | null = null;
  /** Answer text not yet numbered and sent: flushed once per event-loop turn. */
  #pendingTokens = '';
  /** True from a turn's start until its first token is sent. */
  #firstTokenPending = false;
  #tokenFlushScheduled = false;

  constructor(
    readonly id: string,
    initial: { lastSeq: number; history: HistoryItem[] },
    private readonly dependencies: SessionDependencies,
  ) {
    this.#seq = initial.lastSeq;
    this.#history = initial.history;
    this.#turnHistoryStart = initial.history.length;
    for (const item of initial.history) {
      if (item.type === 'user_message' && item.id !== undefined) this.#acceptedIds.set(item.id, item.seq);
    }
  }

  get lastSeq(): number {
    return this.#seq;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  get turn(): Turn | null {
    return this.#turn;
  }

  get idle(): boolean {
    return !this.#busy;
  }

  /** Resolves once no turn runs (the finalizer waits for a turn a user walked away from). */
  async whenIdle(): Promise<void> {
    while (this.#turn) await this.#turn.done;
  }

  /**
   * Sends the `session` frame, then the frames of the turn in progress after `after`
   * (all of them without `after`), then live frames: no gap, no duplicate, since nothing
   * else runs between these steps.
   */
  attach(socket: WebSocket, options: { resumed: boolean; after?: number }): Subscriber {
    const subscriber = new Subscriber(socket, this.dependencies.limits.backpressure, (slow) => {
      this.#subscribers.delete(slow);
      this.dependencies.onSlowConsumer?.();
    });
    const frame: SessionFrame = {
      type: 'session',
      session_id: this.id,
      resumed: options.resumed,
      last_seq: this.#seq,
      ...(options.resumed ? { history: this.#history.slice(0, this.#turnHistoryStart) } : {}),
      model: { provider: this.dependencies.runner.provider, model: this.dependencies.runner.modelId },
      turn_in_progress: this.#busy,
    };
    subscriber.send(JSON.stringify(frame));
    const after = options.after ?? -1;
    for (const replay of this.#turnFrames) {
      if (replay.seq <= after) continue;
      if (replay.token !== undefined) subscriber.sendToken(replay.seq, replay.token, replay.serialized);
      else subscriber.send(replay.serialized);
    }
    this.#subscribers.add(subscriber);
    return subscriber;
  }

  detach(subscriber: Subscriber): void {
    subscriber.detach();
    this.#subscribers.delete(subscriber);
  }

  /** `account`: whose quotas the sender's messages count against (quota-account.ts); null for none. */
  async handle(frame: ClientFrame, from: Subscriber, account: string | null = null): Promise<void> {
    switch (frame.type) {
      case 'ping':
        from.send('{"type":"pong"}');
        return;
      case 'cancel':
        await this.#turn?.cancel('cancelled');
        return;
      case 'message':
        await this.#handleMessage(frame, from, account);
        return;
    }
  }

  /** Cancels the running turn (shutdown); resolves when it has ended. */
  async stop(): Promise<void> {
    await this.#turn?.cancel('interrupted');
  }

  /** Closes every socket (shutdown: 1001 "going away"). */
  closeAll(code: number, reason: string): void {
    for (const subscriber of this.#subscribers) subscriber.close(code, reason);
    this.#subscribers.clear();
  }

  async #handleMessage(frame: MessageFrame, from: Subscriber, account: string | null): Promise<void> {
    const reply = (error: ParleyError) => from.send(JSON.stringify(error.toFrame(frame.id)));
    const { limits, quota } = this.dependencies;

    if (frame.content.length > limits.maxMessageChars) {
      return reply(new ParleyError('too_large', `The message is ${frame.content.length} characters; the limit is ${limits.maxMessageChars}.`));
    }
    // Counted before the checks below, which run with no wait in between: what they see holds
    // until the turn is taken.
    if (account !== null && quota !== undefined) {
      try {
        await quota.admitMessage(account);
      } catch (thrown) {
        return reply(toParleyError(thrown, 'storage_unavailable'));
      }
    }
    if (frame.id !== undefined) {
      const ackSeq = this.#acceptedIds.get(frame.id);
      if (ackSeq !== undefined) {
        from.send(JSON.stringify({ type: 'ack', seq: ackSeq, id: frame.id, duplicate: true }));
        return;
      }
    }
    if (this.#busy) {
      if (!frame.interrupt || !this.#turn) {
        return reply(new ParleyError('turn_in_progress', 'A reply is still being written: send cancel first, or set "interrupt": true.'));
      }
      await this.#turn.cancel('interrupted');
      if (this.#busy) return reply(new ParleyError('turn_in_progress', 'The previous turn is still ending; try again.'));
    }
    const receivedAt = performance.now();
    this.#busy = true;
    this.#turnFrames = [];
    this.#turnHistoryStart = this.#history.length;
    const ackSeq = ++this.#seq;
    const event: NewEvent = {
      session_id: this.id,
      event_type: 'user_message',
      content: frame.content,
      metadata: frame.id === undefined ? {} : { message_id: frame.id },
      seq: ackSeq,
    };
    try {
      await this.dependencies.writer.append(event, { deadlineMs: limits.ackDeadlineMs });
    } catch (thrown) {
      const error = toParleyError(thrown, 'storage_unavailable');
      this.#emitNumbered(ackSeq, error.toFrame(frame.id));
      this.#turnFrames = [];
      this.#busy = false;
      return;
    }
    if (frame.id !== undefined) this.#acceptedIds.set(frame.id, ackSeq);
    this.#pushHistory(event);
    this.#emitNumbered(ackSeq, { type: 'ack', ...(frame.id === undefined ? {} : { id: frame.id }), content: frame.content });
    this.#turnAccount = account;
    this.#startTurn(receivedAt);
  }

  #startTurn(receivedAt: number): void {
    this.#firstTokenPending = true;
    const history = this.#history.slice();
    const turn = new Turn(
      randomUUID(),
      (signal) => this.dependencies.runner.runTurn({ history, signal }),
      {
        token: (text) => this.#queueToken(text),
        emit: (frame) => this.#emit(frame),
        reserveSeq: () => {
          this.#flushTokens();
          return ++this.#seq;
        },
        emitAt: (seq, frame) => this.#emitNumbered(seq, frame),
        record: (event, seq) => {
          const full: NewEvent = { session_id: this.id, seq, ...event };
          this.#pushHistory(full);
          return this.dependencies.writer.append(full).catch((error: unknown) => this.dependencies.onWriteError?.(error));
        },
        durableWaitMs: this.dependencies.limits.ackDeadlineMs,
      },
      history,
      this.dependencies.estimateUsage,
      receivedAt,
    );
    this.#turn = turn;
    void turn.done.then((result) => {
      this.#turn = null;
      this.#busy = false;
      // The turn is history now: a reconnecting client gets it there, not as replay.
      this.#turnFrames = [];
      this.#turnHistoryStart = this.#history.length;
      this.#chargeTurn(result);
      this.dependencies.onTurnEnd?.(this, result);
    });
  }

  /**
   * Tokens that arrive in the same event-loop turn (a provider's TCP read often carries
   * several) become one frame: one seq, one serialization, one socket write. At light load
   * each token still goes alone; under load this is what keeps the per-token cost down.
   */
  #queueToken(text: string): void {
    this.#pendingTokens += text;
    if (this.#firstTokenPending) {
      // The first token goes at once: waiting for the rest of a busy loop turn (50-100 ms at
      // 1,000 sessions) would add that much to every time to first token.
      this.#firstTokenPending = false;
      this.#flushTokens();
      return;
    }
    if (this.#tokenFlushScheduled) return;
    this.#tokenFlushScheduled = true;
    setImmediate(this.#flushTokens);
  }

  readonly #flushTokens = (): void => {
    this.#tokenFlushScheduled = false;
    if (this.#pendingTokens === '') return;
    const content = this.#pendingTokens;
    this.#pendingTokens = '';
    const seq = ++this.#seq;
    const serialized = `{"type":"token","seq":${seq},"content":${JSON.stringify(content)}}`;
    this.#turnFrames.push({ seq, serialized, token: content });
    for (const subscriber of this.#subscribers) subscriber.sendToken(seq, content, serialized);
  };

  #emit(frame: UnsequencedFrame): number {
    this.#flushTokens();
    const seq = ++this.#seq;
    this.#emitNumbered(seq, frame);
    return seq;
  }

  #emitNumbered(seq: number, frame: UnsequencedFrame): void {
    const serialized = JSON.stringify({ ...frame, seq });
    this.#turnFrames.push({ seq, serialized });
    for (const subscriber of this.#subscribers) subscriber.send(serialized);
  }

  #pushHistory(event: NewEvent): void {
    const item = historyItemFromEvent({ ...event, id: 0, created_at: new Date().toISOString() });
    if (item) this.#history.push(item);
  }

  #chargeTurn({ usage }: TurnResult): void {
    const account = this.#turnAccount;
    this.#turnAccount = null;
    if (account === null || this.dependencies.quota === undefined) return;
    const tokens = (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0);
    this.dependencies.quota.chargeTokens(account, tokens).catch((error: unknown) => this.dependencies.onWriteError?.(error));
  }
}
