import { ParleyError } from '../errors/index.js';
import type { NewEvent, SessionStore } from './types.js';

export interface EventWriterOptions {
  /** Most events in one appendEvents call. */
  maxBatch?: number;
  /** Past this many queued events, appends that carry a deadline are refused at once. */
  maxQueue?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  onError?: (error: unknown, attempt: number) => void;
}

interface Entry {
  event: NewEvent;
  order: number;
  resolve: () => void;
  reject: (error: unknown) => void;
  deadline?: NodeJS.Timeout;
  /** performance.now() past which the caller has been told the event was not stored. */
  expiresAt?: number;
}

interface FlushWaiter {
  through: number;
  resolve: () => void;
}

const storageUnavailable = () =>
  new ParleyError('storage_unavailable', 'The database is not answering; the message was not stored. Try again.');

/**
 * The one ordered, batched writer of session events (DESIGN.md). One write is in flight at
 * a time; whatever is appended meanwhile goes, in order, into the next write, so under load
 * many sessions share a round trip. A failed write is retried with backoff, forever: events
 * are never dropped nor reordered. Only an append with a deadline (a user message whose ack
 * is waiting) may give up, and only while it is still queued.
 */
export class EventWriter {
  readonly #store: Pick<SessionStore, 'appendEvents'>;
  readonly #maxBatch: number;
  readonly #maxQueue: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #onError: ((error: unknown, attempt: number) => void) | undefined;

  #queue: Entry[] = [];
  #inFlight: Entry[] = [];
  #running = false;
  #scheduled = false;
  #nextOrder = 0;
  #flushWaiters: FlushWaiter[] = [];
  #retryTimer: NodeJS.Timeout | undefined;
  #wakeRetry: (() => void) | undefined;
  #stopped = false;
  /** True while appendEvents runs: entries then are awaited, never abandoned. */
  #writing = false;

  roundTrips = 0;
  failures = 0;

  constructor(store: Pick<SessionStore, 'appendEvents'>, options: EventWriterOptions = {}) {
    this.#store = store;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.#maxQueue = Math.max(1, options.maxQueue ?? 10_000);
    this.#retryBaseMs = Math.max(0, options.retryBaseMs ?? 50);
    this.#retryMaxMs = Math.max(this.#retryBaseMs, options.retryMaxMs ?? 2_000);
    this.#onError = options.onError;
  }

  /** Events queued or being written. */
  get pending(): number {
    return this.#queue.length + this.#inFlight.length;
  }

  /** Resolves once the event is durably written; see the class comment for `deadlineMs`. */
  append(event: NewEvent, options: { deadlineMs?: number } = {}): Promise<void> {
    if (this.#stopped) {
      return Promise.reject(new ParleyError('shutting_down', 'The server is shutting down; the event was not stored.'));
    }
    const { deadlineMs } = options;
    if (deadlineMs !== undefined && this.#queue.length >= this.#maxQueue) return Promise.reject(storageUnavailable());
    return new Promise<void>((resolve, reject) => {
      const entry: Entry = { event, order: this.#nextOrder++, resolve, reject };
      if (deadlineMs !== undefined) {
        entry.expiresAt = performance.now() + deadlineMs;
        entry.deadline = setTimeout(() => this.#giveUp(entry), deadlineMs);
      }
      this.#queue.push(entry);
      this.#schedule();
    });
  }

  /** Resolves when everything appended so far is written (or was given up by its deadline). */
  flush(): Promise<void> {
    const through = this.#nextOrder - 1;
    if (this.#oldestUnfinished() > through) return Promise.resolve();
    return new Promise((resolve) => this.#flushWaiters.push({ through, resolve }));
  }

  /**
   * Shutdown: waits up to `timeoutMs` for everything to be written, then stops retrying and
   * fails what is left. Returns how many events were left unwritten.
   */
  async close(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.flush(), timedOut]);
    clearTimeout(timer);
    this.#stopped = true;
    const left = this.pending;
    if (left > 0) {
      const error = new ParleyError('shutting_down', 'The server shut down before the event could be stored.');
      for (const entry of [...this.#inFlight, ...this.#queue]) {
        clearTimeout(entry.deadline);
        entry.reject(error);
      }
      this.#inFlight = [];
      this.#queue = [];
      clearTimeout(this.#retryTimer);
      this.#wakeRetry?.();
      this.#settleFlushes();
    }
    return left;
  }

  #schedule(): void {
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    // After the current callback, not now: appends made in it share the batch. Not at
    // setImmediate: under load that waited for the rest of the loop turn's I/O (50-100 ms at
    // 1,000 sessions) before every ack. Appends made while a write is out share the next one.
    queueMicrotask(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#queue.length > 0 && !this.#stopped) {
        this.#inFlight = this.#queue.splice(0, this.#maxBatch);
        const written = await this.#writeWithRetry();
        if (!written) return;
        const batch = this.#inFlight;
        this.#inFlight = [];
        for (const entry of batch) {
          clearTimeout(entry.deadline);
          entry.resolve();
        }
        this.#settleFlushes();
      }
    } finally {
      this.#running = false;
    }
  }

  /**
   * Writes #inFlight, retrying. Between attempts, entries whose deadline passed leave the
   * batch (their caller is told), so a dead database never holds a user's message hostage.
   * False only when `close` stopped the writer while it was retrying.
   */
  async #writeWithRetry(): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.#inFlight.length === 0) return true;
      try {
        this.#writing = true;
        await this.#store.appendEvents(this.#inFlight.map((entry) => entry.event));
        this.#writing = false;
        this.roundTrips += 1;
        return !this.#stopped;
      } catch (error) {
        this.#writing = false;
        this.failures += 1;
        this.#expireInFlight();
        try {
          this.#onError?.(error, attempt);
        } catch {
          // A failing logger must not stop the writer.
        }
        if (this.#stopped) return false;
        const delay = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** Math.min(attempt - 1, 30));
        await new Promise<void>((resolve) => {
          this.#wakeRetry = resolve;
          this.#retryTimer = setTimeout(resolve, delay);
        });
        this.#wakeRetry = undefined;
        if (this.#stopped) return false;
      }
    }
  }

  #giveUp(entry: Entry): void {
    const queued = this.#queue.indexOf(entry);
    if (queued !== -1) {
      this.#queue.splice(queued, 1);
    } else {
      // Inside a running write it is awaited, not abandoned; between retries it may leave.
      const retrying = this.#writing ? -1 : this.#inFlight.indexOf(entry);
      if (retrying === -1) return;
      this.#inFlight.splice(retrying, 1);
    }
    entry.reject(storageUnavailable());
    this.#settleFlushes();
  }

  /** After a failed attempt: the entries whose deadline passed during it give up now. */
  #expireInFlight(): void {
    const now = performance.now();
    const expired = this.#inFlight.filter((entry) => entry.expiresAt !== undefined && entry.expiresAt <= now);
    if (expired.length === 0) return;
    this.#inFlight = this.#inFlight.filter((entry) => !expired.includes(entry));
    for (const entry of expired) entry.reject(storageUnavailable());
    this.#settleFlushes();
  }

  #oldestUnfinished(): number {
    return this.#inFlight[0]?.order ?? this.#queue[0]?.order ?? Number.POSITIVE_INFINITY;
  }

  #settleFlushes(): void {
    if (this.#flushWaiters.length === 0) return;
    const oldest = this.#oldestUnfinished();
    const waiting: FlushWaiter[] = [];
    for (const waiter of this.#flushWaiters) {
      if (oldest > waiter.through) waiter.resolve();
      else waiting.push(waiter);
    }
    this.#flushWaiters = waiting;
  }
}
