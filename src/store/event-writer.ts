import { ParleyError } from '../errors/index.js';
import { waitAtMost } from '../time/wait-at-most.js';
import { isDataError, sqlState } from './data-error.js';
import type { NewEvent, SessionStore } from './types.js';

export interface EventWriterOptions {
  /** Most events in one appendEvents call. */
  maxBatch?: number;
  /** Past this many queued events, appends that carry a deadline are refused at once. */
  maxQueue?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  onError?: (error: unknown, attempt: number) => void;
  /** The database refused this event for its data (see the class comment). */
  onPoisoned?: (event: NewEvent, error: unknown) => void;
}

interface Entry {
  event: NewEvent;
  order: number;
  resolve: () => void;
  reject: (error: unknown) => void;
  deadline?: NodeJS.Timeout;
  /** performance.now() past which the caller has been told the event was not stored. */
  expiresAt?: number;
  /** A `write_failed` event standing in for a refused one; refused in turn, it is dropped. */
  standIn?: boolean;
}

interface FlushWaiter {
  through: number;
  resolve: () => void;
}

const storageUnavailable = () =>
  new ParleyError('storage_unavailable', 'The database is not answering; the message was not stored. Try again.');
const writeFailed = () =>
  new ParleyError('write_failed', 'The database refused to store this event; it is logged as failed and the conversation goes on.');
const ignore = () => undefined;

/**
 * The one ordered, batched writer of session events (DESIGN.md). One write is in flight at
 * a time; whatever is appended meanwhile goes, in order, into the next write, so under load
 * many sessions share a round trip. A failed write is retried with backoff, forever: events
 * are never dropped nor reordered. Only an append with a deadline (a user message whose ack
 * is waiting) may give up, and only while it is still queued.
 *
 * A write the database refuses for its data (data-error.ts) would fail the same way forever
 * and hold every session's events behind it. Such a batch is written again in halves, in
 * order, down to the single refused events: the others are written, and each refused event
 * gets a `write_failed` event in its place (same session and seq, metadata built only from
 * the event's type and length and the SQLSTATE, so it cannot be refused in turn) while its
 * append rejects with `write_failed`. A refused batch of n events with one bad row costs
 * about 2·log2(n) more round trips.
 */
export class EventWriter {
  readonly #store: Pick<SessionStore, 'appendEvents'>;
  readonly #maxBatch: number;
  readonly #maxQueue: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #onError: ((error: unknown, attempt: number) => void) | undefined;
  readonly #onPoisoned: ((event: NewEvent, error: unknown) => void) | undefined;

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

  /** performance.now() when the batch being written was taken from the queue. */
  #batchStartedAt: number | null = null;

  roundTrips = 0;
  failures = 0;
  /** Events the database refused for their data (stand-ins included). */
  poisoned = 0;

  constructor(store: Pick<SessionStore, 'appendEvents'>, options: EventWriterOptions = {}) {
    this.#store = store;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 500);
    this.#maxQueue = Math.max(1, options.maxQueue ?? 10_000);
    this.#retryBaseMs = Math.max(0, options.retryBaseMs ?? 50);
    this.#retryMaxMs = Math.max(this.#retryBaseMs, options.retryMaxMs ?? 2_000);
    this.#onError = options.onError;
    this.#onPoisoned = options.onPoisoned;
  }

  /** Events queued or being written. */
  get pending(): number {
    return this.#queue.length + this.#inFlight.length;
  }

  /**
   * How long the batch being written has waited: a few milliseconds while the database
   * answers, growing while it fails or hangs. /health turns 503 past a bound.
   */
  get stalledMs(): number {
    return this.#batchStartedAt === null || this.#inFlight.length === 0 ? 0 : performance.now() - this.#batchStartedAt;
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
    await waitAtMost(this.flush(), timeoutMs);
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
        this.#batchStartedAt = performance.now();
        const written = await this.#writeWithRetry();
        this.#batchStartedAt = null;
        if (!written) return;
        this.#settleFlushes();
      }
    } finally {
      this.#running = false;
    }
  }

  /**
   * Writes #inFlight, retrying. Between attempts, entries whose deadline passed leave the
   * batch (their caller is told), so a dead database never holds a user's message hostage.
   * After a data error the next attempt isolates the refused events instead of retrying.
   * False only when `close` stopped the writer while it was retrying.
   */
  async #writeWithRetry(): Promise<boolean> {
    let isolating = false;
    for (let attempt = 1; ; attempt += 1) {
      if (this.#inFlight.length === 0) return !this.#stopped;
      try {
        this.#writing = true;
        if (isolating) {
          await this.#writeAroundRefused();
        } else {
          await this.#store.appendEvents(this.#inFlight.map((entry) => entry.event));
          this.roundTrips += 1;
          this.#inFlight.forEach(settle);
          this.#inFlight = [];
        }
        this.#writing = false;
        return !this.#stopped;
      } catch (error) {
        this.#writing = false;
        this.failures += 1;
        if (this.#stopped) return false;
        if (isDataError(error)) {
          // No wait: the same rows would fail the same way; the next attempt splits them.
          if (this.#inFlight.length === 1) this.#refuse(this.#inFlight[0]!, error);
          isolating = this.#inFlight.length > 0;
          continue;
        }
        isolating = false;
        this.#expireInFlight();
        try {
          this.#onError?.(error, attempt);
        } catch {
          // A failing logger must not stop the writer.
        }
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

  /**
   * #inFlight failed as a whole for its data: writes it in halves, in order, splitting each
   * half that fails again, until every refused event stands alone and is replaced by its
   * `write_failed` stand-in. Written entries settle at once. A connection error stops the
   * split and is thrown: what is left stays in #inFlight, in order, for the retry.
   */
  async #writeAroundRefused(): Promise<void> {
    const groups = halves(this.#inFlight);
    while (groups.length > 0 && !this.#stopped) {
      const group = groups.shift()!;
      try {
        await this.#store.appendEvents(group.map((entry) => entry.event));
        this.roundTrips += 1;
        this.#inFlight = this.#inFlight.filter((entry) => !group.includes(entry));
        group.forEach(settle);
        this.#settleFlushes();
      } catch (error) {
        if (!isDataError(error)) throw error;
        this.failures += 1;
        if (group.length > 1) {
          groups.unshift(...halves(group));
          continue;
        }
        const standIn = this.#refuse(group[0]!, error);
        if (standIn) groups.unshift([standIn]);
      }
    }
  }

  /**
   * The database refused this event for its data: its caller is told (`write_failed`), and
   * in #inFlight it gives way to a `write_failed` event with the same order, which is returned.
   */
  #refuse(entry: Entry, error: unknown): Entry | null {
    this.poisoned += 1;
    clearTimeout(entry.deadline);
    entry.reject(writeFailed());
    try {
      this.#onPoisoned?.(entry.event, error);
    } catch {
      // A failing logger must not stop the writer.
    }
    const index = this.#inFlight.indexOf(entry);
    if (entry.standIn) {
      this.#inFlight.splice(index, 1);
      this.#settleFlushes();
      return null;
    }
    const standIn: Entry = { event: writeFailedEvent(entry.event, error), order: entry.order, resolve: ignore, reject: ignore, standIn: true };
    this.#inFlight[index] = standIn;
    return standIn;
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

function settle(entry: Entry): void {
  clearTimeout(entry.deadline);
  entry.resolve();
}

function halves(entries: readonly Entry[]): Entry[][] {
  if (entries.length < 2) return [entries.slice()];
  const middle = Math.ceil(entries.length / 2);
  return [entries.slice(0, middle), entries.slice(middle)];
}

/** What is kept of a refused event: nothing a user wrote, only what cannot itself be refused. */
function writeFailedEvent(refused: NewEvent, error: unknown): NewEvent {
  const seq = Number.isSafeInteger(refused.seq) ? refused.seq : 0;
  return {
    session_id: refused.session_id,
    event_type: 'write_failed',
    content: null,
    metadata: {
      refused_event_type: refused.event_type,
      refused_seq: seq,
      content_length: typeof refused.content === 'string' ? refused.content.length : null,
      sqlstate: sqlState(error) ?? null,
    },
    seq,
  };
}
