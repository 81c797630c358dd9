import { ParleyError } from '../errors/index.js';
import { waitAtMost } from '../time/wait-at-most.js';
import type { SessionProgress, SessionStore, TurnCheckpoint } from './types.js';

export interface SessionProgressWriterOptions {
  /** Most sessions in one writeSessionProgress call. */
  maxBatch?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  onError?: (error: unknown, attempt: number) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** What is still to be written for one session: only the latest state of each part counts. */
interface Pending {
  reservation?: { through: number; ifReservedThrough?: number; waiters: Waiter[] };
  checkpoint?: Omit<TurnCheckpoint, 'session_id'>;
  checkpointDone?: number;
}

/**
 * Writes what sessions keep besides their events (seq reservations, checkpoints of answers in
 * progress), off the token path: callers never wait, except for a seq reservation a frame is
 * held for. Writes are batched, one in flight at a time, and per session only the latest state
 * is written (a checkpoint replaces the one before it). A failed batch is retried with backoff,
 * merged under whatever came meanwhile, so nothing is reordered.
 */
export class SessionProgressWriter {
  readonly #store: Pick<SessionStore, 'writeSessionProgress'>;
  readonly #maxBatch: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #onError: ((error: unknown, attempt: number) => void) | undefined;

  #pending = new Map<string, Pending>();
  #inFlight = 0;
  #running = false;
  #scheduled = false;
  #stopped = false;
  #idleWaiters: Array<() => void> = [];
  #retryTimer: NodeJS.Timeout | undefined;
  #wakeRetry: (() => void) | undefined;

  constructor(store: Pick<SessionStore, 'writeSessionProgress'>, options: SessionProgressWriterOptions = {}) {
    this.#store = store;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.#retryBaseMs = Math.max(0, options.retryBaseMs ?? 50);
    this.#retryMaxMs = Math.max(this.#retryBaseMs, options.retryMaxMs ?? 2_000);
    this.#onError = options.onError;
  }

  /** Sessions with something not written yet. */
  get pending(): number {
    return this.#pending.size + this.#inFlight;
  }

  /** Raises the session's stored reservation to `through`; resolves once it is durable. */
  reserveSeqs(sessionId: string, through: number): Promise<void> {
    if (this.#stopped) return Promise.reject(stopped());
    return new Promise((resolve, reject) => {
      this.#enqueue(sessionId, { reservation: { through, waiters: [{ resolve, reject }] } });
    });
  }

  /**
   * Gives back the seqs reserved past `through` (a session leaving memory, a clean shutdown),
   * so the next load numbers on with no gap; a no-op if anything raised the reservation since.
   */
  giveBackSeqs(sessionId: string, through: number, ifReservedThrough: number): void {
    if (this.#stopped) return;
    this.#enqueue(sessionId, { reservation: { through, ifReservedThrough, waiters: [] } });
  }

  saveCheckpoint(sessionId: string, checkpoint: Omit<TurnCheckpoint, 'session_id'>): void {
    if (this.#stopped) return;
    this.#enqueue(sessionId, { checkpoint });
  }

  /** The turn `turnSeq` ended and its answer is stored: its checkpoint is no longer needed. */
  dropCheckpoint(sessionId: string, turnSeq: number): void {
    if (this.#stopped) return;
    this.#enqueue(sessionId, { checkpointDone: turnSeq });
  }

  /** Resolves when everything given so far is written. */
  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Shutdown: waits up to `timeoutMs`, then stops. Returns how many sessions were left unwritten. */
  async close(timeoutMs: number): Promise<number> {
    await waitAtMost(this.flush(), timeoutMs);
    this.#stopped = true;
    const left = this.pending;
    for (const entry of this.#pending.values()) for (const waiter of entry.reservation?.waiters ?? []) waiter.reject(stopped());
    this.#pending.clear();
    clearTimeout(this.#retryTimer);
    this.#wakeRetry?.();
    this.#settleIdle();
    return left;
  }

  #enqueue(sessionId: string, change: Pending): void {
    const older = this.#pending.get(sessionId);
    this.#pending.set(sessionId, older === undefined ? change : mergeProgress(older, change));
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let attempt = 1; this.#pending.size > 0 && !this.#stopped; ) {
        const batch = [...this.#pending.entries()].slice(0, this.#maxBatch);
        for (const [sessionId] of batch) this.#pending.delete(sessionId);
        this.#inFlight = batch.length;
        try {
          await this.#store.writeSessionProgress(batch.map(([sessionId, entry]) => toSessionProgress(sessionId, entry)));
          this.#inFlight = 0;
          attempt = 1;
          for (const [, entry] of batch) for (const waiter of entry.reservation?.waiters ?? []) waiter.resolve();
          this.#settleIdle();
        } catch (error) {
          this.#inFlight = 0;
          // What came meanwhile is newer: the failed batch goes back under it.
          for (const [sessionId, entry] of batch) {
            const newer = this.#pending.get(sessionId);
            this.#pending.set(sessionId, newer === undefined ? entry : mergeProgress(entry, newer));
          }
          if (this.#stopped) {
            for (const [, entry] of batch) for (const waiter of entry.reservation?.waiters ?? []) waiter.reject(stopped());
            this.#pending.clear();
            return;
          }
          try {
            this.#onError?.(error, attempt);
          } catch {
            // A failing logger must not stop the writer.
          }
          const delay = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** Math.min(attempt - 1, 30));
          attempt += 1;
          await new Promise<void>((resolve) => {
            this.#wakeRetry = resolve;
            this.#retryTimer = setTimeout(resolve, delay);
          });
          this.#wakeRetry = undefined;
        }
      }
    } finally {
      this.#running = false;
      this.#settleIdle();
    }
  }

  #settleIdle(): void {
    if (this.pending > 0 && !this.#stopped) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** `newer` applied over `older`: the state a session would be in after both, in that order. */
export function mergeProgress(older: Pending, newer: Pending): Pending {
  const merged: Pending = { ...older };
  if (newer.reservation) {
    const previous = older.reservation;
    const waiters = [...(previous?.waiters ?? []), ...newer.reservation.waiters];
    if (previous === undefined || previous.ifReservedThrough !== undefined) {
      merged.reservation = { ...newer.reservation, waiters };
    } else if (newer.reservation.ifReservedThrough === undefined) {
      merged.reservation = { through: Math.max(previous.through, newer.reservation.through), waiters };
    } else {
      // A give-back expects the raise before it to be stored: unwritten, it becomes a raise to
      // the give-back's value, which may leave a gap but never lowers a reservation in use.
      merged.reservation = { through: newer.reservation.through, waiters };
    }
  }
  if (newer.checkpoint) {
    merged.checkpoint = newer.checkpoint;
    delete merged.checkpointDone;
  }
  if (newer.checkpointDone !== undefined) {
    const saved = merged.checkpoint;
    // A later turn's checkpoint replaces the finished one's row when written: nothing to drop.
    if (saved === undefined || saved.turn_seq <= newer.checkpointDone) {
      delete merged.checkpoint;
      merged.checkpointDone = Math.max(merged.checkpointDone ?? 0, newer.checkpointDone);
    }
  }
  return merged;
}

function toSessionProgress(sessionId: string, entry: Pending): SessionProgress {
  const { reservation, checkpoint, checkpointDone } = entry;
  return {
    session_id: sessionId,
    ...(reservation === undefined
      ? {}
      : {
          seq_reservation: {
            through: reservation.through,
            ...(reservation.ifReservedThrough === undefined ? {} : { if_reserved_through: reservation.ifReservedThrough }),
          },
        }),
    ...(checkpoint === undefined ? {} : { checkpoint }),
    ...(checkpointDone === undefined ? {} : { checkpoint_done: checkpointDone }),
  };
}

function stopped(): ParleyError {
  return new ParleyError('shutting_down', 'The server is shutting down; the session state was not stored.');
}
