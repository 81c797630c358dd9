import type { FrameSocket } from './frame-socket.js';
import { isParleyError, ParleyError, toParleyError } from '../errors/index.js';
import type { ModelRunner } from '../llm/model-runner.js';
import type { OfferedModel } from '../llm/offered-models.js';
import { activeHistory, historyItemFromEvent, toStorableText, type Attachment, type ClientFrame, type HistoryItem, type MessageFrame, type SessionFrame, type UnsequencedFrame } from '../protocol/index.js';
import type { QuotaGate } from '../quotas/quota-gate.js';
import type { SessionProgressWriter } from '../store/session-progress-writer.js';
import type { NewEvent, SessionStore } from '../store/types.js';
import { admission, initialAdmission, lastSeqAfterLoad, type AdmissionDecision, type AdmissionEvent, type AdmissionState, type RateLimitVerdict } from './admission.js';
import { messageReplacement, type MessageReplacement } from './message-replacement.js';
import { frameHistoryStart, historyWindowStart, type HistoryLimits } from './history-window.js';
import { SeqReservation } from './seq-reservation.js';
import { startEarly, type EarlyTurn } from './start-early.js';
import { Subscriber, type BackpressureLimits } from './subscriber.js';
import { Turn, type EstimateUsage, type TurnResult } from './turn.js';
import type { TurnEvent } from '../llm/turn-event.js';

export interface SessionDependencies {
  writer: { append(event: NewEvent, options?: { deadlineMs?: number }): Promise<void> };
  progress: Pick<SessionProgressWriter, 'reserveSeqs' | 'giveBackSeqs' | 'saveCheckpoint' | 'dropCheckpoint'>;
  /** The event log, for message ids older than the turns a long session keeps in memory. */
  log: Pick<SessionStore, 'findMessageSeq'> & Partial<Pick<SessionStore, 'setSessionModel'>>;
  runner: ModelRunner;
  estimateUsage: EstimateUsage;
  /** Per-user message rate and daily model tokens, shared by every session and instance. */
  quota?: QuotaGate;
  /** The session's uploaded files, which a message's `attachments` name (src/files/). */
  files?: { resolve(sessionId: string, fileIds: readonly string[]): Promise<Attachment[]> };
  limits: {
    maxMessageChars: number;
    /**
     * How long the user's message may wait for the database before the user is told, how
     * long `done` waits for the answer to be stored before it is sent anyway, and how long a
     * frame waits for its seq block to be stored.
     */
    ackDeadlineMs: number;
    backpressure: BackpressureLimits;
    history: HistoryLimits;
  } & CrashLimits;
  onTurnEnd?: (session: Session, result: TurnResult) => void;
  onSlowConsumer?: () => void;
  onWriteError?: (error: unknown) => void;
  /** A seq block was not stored within ackDeadlineMs: frames went out without it. */
  onSeqReservationLate?: (sessionId: string) => void;
}

/** How much a crash may cost: seqs skipped after it, answer text lost by it. */
export interface CrashLimits {
  /** Seqs reserved per database write; a crash skips at most this many. */
  seqBlockSize: number;
  /** The answer in progress is saved at least this often while text arrives... */
  checkpointEveryMs: number;
  /** ...and after this many pieces of text. */
  checkpointEveryPieces: number;
}

export const defaultCrashLimits: CrashLimits = { seqBlockSize: 1000, checkpointEveryMs: 2000, checkpointEveryPieces: 200 };

interface ReplayFrame {
  seq: number;
  serialized: string;
  token?: string;
}

/** Where a frame meant for one socket goes: a local socket, or one on another instance. */
export type Replier = Pick<Subscriber, 'send'>;

/** Sees every frame the session delivers (another instance's sockets follow the session). */
export interface FrameMirror {
  frameDelivered(frame: ReplayFrame, firstOfTurn: boolean): void;
}

/** What a socket joining the session gets before live frames, computed once for local and remote sockets. */
export interface JoinOptions {
  resumed: boolean;
  after?: number | undefined;
  /** The socket follows this session already (its instance changed): no `session` frame. */
  quiet?: boolean;
}

/**
 * One conversation in memory: its seq counter, its history, the sockets attached to it, and
 * at most one running turn. Frames are numbered and serialized once, then fanned out once
 * their seq is reserved durably (see SeqReservation).
 */
/** No shared quota to ask, or it said yes. */
const allowed: RateLimitVerdict = { allowed: true };

export class Session {
  readonly #subscribers = new Set<Subscriber>();
  /** Which messages were stored and whether a turn runs: decided by `admission` alone. */
  #admission: AdmissionState;
  /** The recent turns (history-window.ts); the log holds the older ones. */
  readonly #history: HistoryItem[];
  /** The log holds turns older than #history. */
  #olderHistory: boolean;
  readonly #reservation: SeqReservation<ReplayFrame>;
  /** The last seq handed out, and the last one sent to the sockets (they differ while frames wait for their block). */
  #seq: number;
  #deliveredSeq: number;
  #turn: Turn | null = null;
  /** From a turn's end until its last frames are sent and it is history. */
  #ending: Promise<void> | null = null;
  /** Frames of the turn in progress, for `?after=` replay. */
  #turnFrames: ReplayFrame[] = [];
  /** The last finished turn's frames, for a socket on another instance that lost track (Redis was away). */
  #lastTurnFrames: ReplayFrame[] = [];
  /** Index in #history where the turn in progress starts; its items are not "history" yet. */
  #turnHistoryStart = 0;
  /** The quota account whose message started the turn in progress: its tokens are charged there. */
  #turnAccount: string | null = null;
  /** Answer text not yet numbered and sent: flushed once per event-loop turn. */
  #pendingTokens = '';
  /** True from a turn's start until its first token is sent. */
  #firstTokenPending = false;
  #tokenFlushScheduled = false;
  #mirror: FrameMirror | null = null;
  /**
   * The `done` of a turn whose instance died, sent by this one after it took the session over:
   * replayed to sockets that saw that turn (their `after` lies within it), until the next turn.
   */
  #recoveredDone: { turnSeq: number; frame: ReplayFrame } | null = null;
  /**
   * Set while the session has no row yet (lazy-session.ts): the first message to be stored
   * creates it first, and learns whether its sender may own it (false: refused and told).
   */
  #createRow: ((from: Replier) => Promise<boolean>) | null = null;
  /** The model its user picked last (`provider:model`), as the row records it; null: the default. */
  #model: string | null;

  /**
   * `lastSeq`: the highest seq among the stored events; `seqReservedThrough`: the stored
   * reservation. Numbering goes on above both, so no seq a client saw is used again.
   */
  constructor(
    readonly id: string,
    initial: { lastSeq: number; seqReservedThrough: number; history: HistoryItem[]; olderHistory?: boolean; model?: string | null },
    private readonly dependencies: SessionDependencies,
  ) {
    this.#seq = lastSeqAfterLoad({ lastEventSeq: initial.lastSeq, seqReservedThrough: initial.seqReservedThrough });
    this.#deliveredSeq = this.#seq;
    this.#reservation = new SeqReservation<ReplayFrame>(this.#seq, {
      blockSize: dependencies.limits.seqBlockSize,
      holdLimitMs: dependencies.limits.ackDeadlineMs,
      store: (through) => dependencies.progress.reserveSeqs(id, through),
      deliver: (frame) => this.#deliver(frame),
      onHoldTimeout: () => dependencies.onSeqReservationLate?.(id),
    });
    this.#history = initial.history;
    this.#olderHistory = initial.olderHistory ?? false;
    this.#turnHistoryStart = initial.history.length;
    this.#admission = initialAdmission(initial.history);
    this.#model = initial.model ?? null;
  }

  /** The models this session may answer with, the default first (LLM_MODELS). */
  get #offeredModels(): readonly OfferedModel[] {
    const { runner } = this.dependencies;
    return runner.models ?? [{ id: `${runner.provider}:${runner.modelId}`, provider: runner.provider as OfferedModel['provider'], model: runner.modelId }];
  }

  /** The session's model: its user's last pick while the server still offers it, else the default. */
  get model(): OfferedModel {
    const offered = this.#offeredModels;
    return offered.find((model) => model.id === this.#model) ?? offered[0]!;
  }

  /** The last seq sent to the sockets. */
  get lastSeq(): number {
    return this.#deliveredSeq;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  get turn(): Turn | null {
    return this.#turn;
  }

  get idle(): boolean {
    return this.#admission.phase === 'idle';
  }

  /** Resolves once no turn runs (the finalizer waits for a turn a user walked away from). */
  async whenIdle(): Promise<void> {
    while (this.#ending) await this.#ending;
  }

  /**
   * Sends the `session` frame, then the frames of the turn in progress after `after`
   * (all of them without `after`), then live frames: no gap, no duplicate, since nothing
   * else runs between these steps.
   */
  attach(socket: FrameSocket, options: JoinOptions): Subscriber {
    const subscriber = new Subscriber(socket, this.dependencies.limits.backpressure, (slow) => {
      this.#subscribers.delete(slow);
      this.dependencies.onSlowConsumer?.();
    });
    const { sessionFrame, replayAfter } = this.join(options);
    if (sessionFrame !== null) subscriber.send(sessionFrame);
    if (replayAfter !== null) {
      for (const replay of this.replayFrames(options.quiet)) {
        if (replay.seq <= replayAfter) continue;
        if (replay.token !== undefined) subscriber.sendToken(replay.seq, replay.token, replay.serialized);
        else subscriber.send(replay.serialized);
      }
    }
    this.#subscribers.add(subscriber);
    return subscriber;
  }

  /**
   * The `session` frame a joining socket gets (none when quiet), and above which seq the
   * frames of `replayFrames` are its to replay (null: none).
   */
  join(options: JoinOptions): { sessionFrame: string | null; replayAfter: number | null } {
    const frame: SessionFrame = {
      type: 'session',
      session_id: this.id,
      resumed: options.resumed,
      last_seq: this.#deliveredSeq,
      ...(options.resumed ? this.#recentHistory() : {}),
      model: { provider: this.model.provider, model: this.model.model, id: this.model.id },
      models: this.#offeredModels.map((model) => ({ ...model, current: model.id === this.model.id })),
      turn_in_progress: !this.idle,
    };
    const after = options.after ?? -1;
    const recovered = this.#deliveredRecoveredDone();
    const sawRecoveredTurn = recovered !== null && after >= recovered.turnSeq && after < recovered.frame.seq;
    const turnStart = this.#turnFrames[0]?.seq;
    let replayAfter: number | null = null;
    // A quiet socket lost track mid-conversation: it gets everything after its last frame.
    if (options.quiet) replayAfter = after;
    else if (turnStart !== undefined) replayAfter = Math.max(after, turnStart - 1);
    else if (sawRecoveredTurn) replayAfter = after;
    return { sessionFrame: options.quiet ? null : JSON.stringify(frame), replayAfter };
  }

  /** The newest completed turns, and whether older ones exist (the client reads them through the events API). */
  #recentHistory(): Pick<SessionFrame, 'history' | 'more_history'> {
    // The active branch: turns a regenerated or edited message replaced are dropped from view.
    const completed = activeHistory(this.#history.slice(0, this.#turnHistoryStart));
    const start = frameHistoryStart(completed, this.dependencies.limits.history);
    const more = this.#olderHistory || start > 0;
    return { history: start === 0 ? completed : completed.slice(start), ...(more ? { more_history: true } : {}) };
  }

  /**
   * The frames a joining socket may replay: the turn in progress, or a recovered turn's
   * `done`; for a quiet one (it lost track) the last finished turn's frames too, since what it
   * missed may be that turn's end.
   */
  replayFrames(quiet = false): readonly ReplayFrame[] {
    const recovered = this.#deliveredRecoveredDone();
    const done = recovered === null ? [] : [recovered.frame];
    if (quiet) return [...this.#lastTurnFrames, ...this.#turnFrames, ...done];
    return this.#turnFrames.length > 0 ? this.#turnFrames : done;
  }

  /** Until it is delivered (its seq block stored), a socket attached now gets it live. */
  #deliveredRecoveredDone(): { turnSeq: number; frame: ReplayFrame } | null {
    const recovered = this.#recoveredDone;
    return recovered !== null && recovered.frame.seq <= this.#deliveredSeq ? recovered : null;
  }

  /**
   * The session has no database row: the first message to be stored calls `create` before
   * anything of it is written (the row, the seq block and the event need it). Null: it has one.
   */
  awaitRow(create: ((from: Replier) => Promise<boolean>) | null): void {
    this.#createRow = create;
  }

  /** Whether the session still waits for its first message to get a database row. */
  get rowless(): boolean {
    return this.#createRow !== null;
  }

  /** Frames go to `mirror` too, from now on (null: no more). */
  setMirror(mirror: FrameMirror | null): void {
    this.#mirror = mirror;
  }

  /**
   * This instance took the session over from one that died mid-turn; the cut answer is stored
   * (`turnSeq` its ack). Every socket still waiting for that turn gets its `done`.
   */
  endRecoveredTurn(turnSeq: number): void {
    const seq = ++this.#seq;
    const serialized = JSON.stringify({ type: 'done', seq, finish_reason: 'interrupted' });
    this.#recoveredDone = { turnSeq, frame: { seq, serialized } };
    this.#reservation.pass({ seq, serialized });
  }

  detach(subscriber: Subscriber): void {
    subscriber.detach();
    this.#subscribers.delete(subscriber);
  }

  /** `account`: whose quotas the sender's messages count against (quota-account.ts); null for none. */
  async handle(frame: ClientFrame, from: Replier, account: string | null = null): Promise<void> {
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
    await this.whenIdle();
  }

  /**
   * Leaving memory (finalized, or a clean shutdown) with no turn running: the seqs reserved
   * past the last one used are given back, so the next load numbers on with no gap.
   */
  giveBackSeqs(): void {
    if (!this.idle) return;
    const reserved = this.#reservation.requestedThrough;
    if (reserved > this.#seq) this.dependencies.progress.giveBackSeqs(this.id, this.#seq, reserved);
  }

  /** Closes every socket (shutdown: 1001 "going away"). */
  closeAll(code: number, reason: string): void {
    for (const subscriber of this.#subscribers) subscriber.close(code, reason);
    this.#subscribers.clear();
  }

  async #handleMessage(frame: MessageFrame, from: Replier, account: string | null, afterInterrupt = false): Promise<void> {
    const { limits } = this.dependencies;
    if (frame.model !== undefined && !this.#offeredModels.some((model) => model.id === frame.model)) {
      const names = this.#offeredModels.map((model) => model.id).join(', ');
      from.send(JSON.stringify(new ParleyError('unknown_model', `The model "${frame.model.slice(0, 80)}" is not offered here; pick one of: ${names}.`).toFrame(frame.id)));
      return;
    }
    const replacement = messageReplacement(frame, this.#history);
    const rateLimit = afterInterrupt ? allowed : await this.#admitToQuota(account, frame, from);
    if (rateLimit === null) return;
    // A regenerated message carries the files of the one it asks again.
    const attachments = replacement.kind === 'regenerate' ? replacement.attachments : await this.#resolveAttachments(frame, from);
    if (attachments === null) return;
    const content = replacement.kind === 'regenerate' ? replacement.content : frame.content;
    const stored = await this.#olderMessageSeq(frame, from);
    if (stored === null) return;
    const receivedAt = performance.now();
    const decision = this.#dispatch({
      type: 'message',
      message: { ...frame, content },
      lastSeq: this.#seq,
      badReplacement: replacement.kind === 'unknown' ? replacement.message : undefined,
      maxMessageChars: limits.maxMessageChars,
      rateLimit,
      afterInterrupt,
      storedSeq: stored.seq,
    });
    switch (decision?.type) {
      case 'refuse': {
        const retry = decision.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: decision.retryAfterSeconds };
        from.send(JSON.stringify(new ParleyError(decision.code, decision.message, retry).toFrame(frame.id)));
        return;
      }
      case 'ack_again':
        from.send(JSON.stringify({ type: 'ack', seq: decision.seq, id: frame.id, duplicate: true }));
        return;
      case 'interrupt':
        await this.#turn?.cancel('interrupted');
        await this.whenIdle();
        return this.#handleMessage(frame, from, account, true);
      case 'accept':
        if (!(await this.#ensureRow(frame, from))) {
          this.#dispatch({ type: 'not_stored' });
          return;
        }
        return this.#storeMessage({ ...frame, content }, replacement, attachments, decision.seq, receivedAt, account);
    }
  }

  /**
   * The sender's shared quotas (I/O, so asked before the pure admission decides): counts the
   * message and answers the verdict admission takes. Null when the count itself failed; the
   * sender has been told.
   */
  async #admitToQuota(account: string | null, frame: MessageFrame, from: Replier): Promise<RateLimitVerdict | null> {
    const { quota } = this.dependencies;
    if (account === null || quota === undefined) return allowed;
    try {
      await quota.admitMessage(account);
      return allowed;
    } catch (thrown) {
      const error = toParleyError(thrown, 'storage_unavailable');
      if (error.code === 'rate_limited' || error.code === 'quota_exceeded') {
        return { allowed: false, code: error.code, message: error.message, ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }) };
      }
      from.send(JSON.stringify(error.toFrame(frame.id)));
      return null;
    }
  }

  /**
   * The files a message names, as this session holds them (I/O, before the pure admission).
   * Null when one is not the session's, or the lookup failed; the sender has been told, and
   * the message is not run.
   */
  async #resolveAttachments(frame: MessageFrame, from: Replier): Promise<Attachment[] | null> {
    if (!frame.attachments?.length) return [];
    try {
      if (this.dependencies.files === undefined) throw new ParleyError('bad_attachment', 'This server takes no files.');
      return await this.dependencies.files.resolve(this.id, frame.attachments);
    } catch (thrown) {
      from.send(JSON.stringify(toParleyError(thrown, 'storage_unavailable').toFrame(frame.id)));
      return null;
    }
  }

  /**
   * The seq of a message id stored before the turns this session keeps in memory (a client
   * resending a very old message): one probe of the log's message-id index, only for an id
   * not in memory of a session that forgot some turns. Null when the log did not answer; the
   * sender has been told.
   */
  async #olderMessageSeq(frame: MessageFrame, from: Replier): Promise<{ seq: number | undefined } | null> {
    if (frame.id === undefined || !this.#olderHistory || this.#admission.acceptedIds.has(frame.id)) return { seq: undefined };
    try {
      return { seq: (await this.dependencies.log.findMessageSeq(this.id, frame.id)) ?? undefined };
    } catch (thrown) {
      from.send(JSON.stringify(toParleyError(thrown, 'storage_unavailable').toFrame(frame.id)));
      return null;
    }
  }

  /**
   * The row a rowless session needs before its first message is stored: created here, once an
   * accepted message is about to be stored, so a refused message (too large, over quota)
   * leaves no session behind. False: not created or not the sender's (the sender was told).
   */
  async #ensureRow(frame: MessageFrame, from: Replier): Promise<boolean> {
    const create = this.#createRow;
    if (create === null) return true;
    try {
      if (!(await create(from))) return false;
    } catch (thrown) {
      from.send(JSON.stringify(toParleyError(thrown, 'storage_unavailable').toFrame(frame.id)));
      return false;
    }
    if (this.#createRow === create) this.#createRow = null;
    return true;
  }

  /**
   * Durably, before its ack and before any of the answer is sent (DESIGN.md). The model is
   * asked while the message is being written (start-early.ts) and cancelled if it is not stored.
   */
  async #storeMessage(frame: MessageFrame, replacement: MessageReplacement, attachments: Attachment[], ackSeq: number, receivedAt: number, account: string | null): Promise<void> {
    this.#turnFrames = [];
    this.#recoveredDone = null;
    this.#turnHistoryStart = this.#history.length;
    this.#seq = ackSeq;
    // The first message after a load needs a seq block: stored while the message is.
    this.#reservation.prepare(ackSeq);
    const event: NewEvent = {
      session_id: this.id,
      event_type: 'user_message',
      content: frame.content,
      metadata: {
        ...(frame.id === undefined ? {} : { message_id: frame.id }),
        ...(attachments.length > 0 ? { attachments } : {}),
        ...(replacement.kind === 'regenerate' ? { regenerate_of: replacement.replacesSeq } : {}),
        ...(replacement.kind === 'edit' ? { edit_of: replacement.replacesSeq } : {}),
      },
      seq: ackSeq,
    };
    const item = historyItemFromEvent({ ...event, created_at: new Date().toISOString() });
    // The model is given the active branch only: never an answer this message replaces.
    const history = activeHistory(item ? [...this.#history, item] : this.#history);
    const olderOmitted = this.#olderHistory;
    // A message's `model` is the session's pick from now on; the turn answers with it.
    const model = frame.model ?? this.model.id;
    const stored = this.dependencies.writer.append(event, { deadlineMs: this.dependencies.limits.ackDeadlineMs });
    const early = startEarly((signal, onModel) => this.dependencies.runner.runTurn({ history, olderOmitted, signal, onModel, model }));
    try {
      await stored;
    } catch (thrown) {
      const error = toParleyError(thrown, 'storage_unavailable');
      early.drop(error);
      this.#emitNumbered(ackSeq, error.toFrame(frame.id));
      if (this.#reservation.heldCount > 0) await this.#reservation.whenDelivered();
      this.#turnFrames = [];
      this.#dispatch({ type: 'not_stored' });
      return;
    }
    this.#dispatch({ type: 'stored', id: frame.id, seq: ackSeq });
    if (item) this.#history.push(item);
    if (frame.model !== undefined && frame.model !== this.#model) this.#recordModel(frame.model);
    this.#emitNumbered(ackSeq, {
      type: 'ack',
      ...(frame.id === undefined ? {} : { id: frame.id }),
      content: frame.content,
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(replacement.kind === 'regenerate' || replacement.kind === 'edit' ? { replaces_seq: replacement.replacesSeq } : {}),
    });
    this.#turnAccount = account;
    this.#startTurn(ackSeq, receivedAt, early);
  }

  /** Off the message's path: a pick that fails to be stored is lost at the next load only. */
  #recordModel(model: string): void {
    this.#model = model;
    this.dependencies.log.setSessionModel?.(this.id, model).catch((error: unknown) => this.dependencies.onWriteError?.(error));
  }

  #dispatch(event: AdmissionEvent): AdmissionDecision | null {
    const step = admission(this.#admission, event);
    this.#admission = step.state;
    return step.decision;
  }

  #startTurn(ackSeq: number, receivedAt: number, early: EarlyTurn<TurnEvent>): void {
    const { progress, limits } = this.dependencies;
    this.#firstTokenPending = true;
    const history = activeHistory(this.#history);
    const turn = new Turn(
      (signal, onModel) => early.take(signal, onModel),
      {
        token: (text) => this.#queueToken(text),
        emit: (frame) => this.#emit(frame),
        reserveSeq: () => {
          this.#flushTokens();
          return ++this.#seq;
        },
        emitAt: (seq, frame) => this.#emitNumbered(seq, frame),
        record: (event, seq) => {
          // The history the model and a resuming client get holds the text as the log stores it.
          const full: NewEvent = { session_id: this.id, seq, ...event, content: event.content === null ? null : toStorableText(event.content) };
          this.#pushHistory(full);
          return this.dependencies.writer.append(full).then(
            () => true,
            (error: unknown) => {
              this.#reportWriteError(error);
              return false;
            },
          );
        },
        durableWaitMs: limits.ackDeadlineMs,
        checkpoint: (content, metadata) => progress.saveCheckpoint(this.id, { turn_seq: ackSeq, content, metadata }),
        checkpointDone: () => progress.dropCheckpoint(this.id, ackSeq),
        checkpointEvery: { ms: limits.checkpointEveryMs, pieces: limits.checkpointEveryPieces },
      },
      history,
      this.dependencies.estimateUsage,
      receivedAt,
    );
    this.#turn = turn;
    this.#ending = turn.done.then(async (result) => {
      // The turn is over for clients once its `done` is sent, which may wait for its seq block.
      if (this.#reservation.heldCount > 0) await this.#reservation.whenDelivered();
      this.#turn = null;
      this.#ending = null;
      this.#dispatch({ type: 'turn_ended' });
      // The turn is history now: a reconnecting client gets it there, not as replay.
      this.#lastTurnFrames = this.#turnFrames;
      this.#turnFrames = [];
      this.#forgetOldTurns();
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
    this.#reservation.pass({ seq, serialized, token: content });
  };

  #emit(frame: UnsequencedFrame): number {
    this.#flushTokens();
    const seq = ++this.#seq;
    this.#emitNumbered(seq, frame);
    return seq;
  }

  #emitNumbered(seq: number, frame: UnsequencedFrame): void {
    this.#reservation.pass({ seq, serialized: JSON.stringify({ ...frame, seq }) });
  }

  /** To every socket, in seq order, once the frame's seq is reserved durably. */
  #deliver(frame: ReplayFrame): void {
    this.#deliveredSeq = frame.seq;
    if (!this.idle) this.#turnFrames.push(frame);
    this.#mirror?.frameDelivered(frame, this.#turnFrames.length === 1 && this.#turnFrames[0] === frame);
    if (frame.token !== undefined) {
      for (const subscriber of this.#subscribers) subscriber.sendToken(frame.seq, frame.token, frame.serialized);
    } else {
      for (const subscriber of this.#subscribers) subscriber.send(frame.serialized);
    }
  }

  /**
   * An event of the turn the database refused (the log holds a `write_failed` event in its
   * place): every socket is told, outside the turn's numbering since the turn may be over.
   */
  #reportWriteError(error: unknown): void {
    this.dependencies.onWriteError?.(error);
    if (!isParleyError(error) || error.code !== 'write_failed') return;
    // Behind the frames still waiting for their seq block, so it never overtakes the ack.
    this.#reservation.pass({ seq: this.#seq, serialized: JSON.stringify(error.toFrame()) });
  }

  /** Memory keeps the turns the model and the `session` frame need; the log holds the rest. */
  #forgetOldTurns(): void {
    const start = historyWindowStart(this.#history, this.dependencies.limits.history);
    if (start === null || start === 0) return;
    this.#history.splice(0, start);
    this.#olderHistory = true;
    this.#dispatch({ type: 'forget', beforeSeq: this.#history[0]!.seq });
  }

  #pushHistory(event: NewEvent): void {
    const item = historyItemFromEvent({ ...event, created_at: new Date().toISOString() });
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
