import type { TextEmbedder } from '../llm/text-embedder.js';
import type { Logger } from '../logging/logger.js';
import { cutText } from '../text/cut-text.js';
import type { QueuedMessage, SearchStore } from './search-store.js';

export interface SearchIndexerOptions {
  /** How long an empty queue is left before it is read again. */
  idleMs: number;
  /** How long a claimed batch stays this instance's before another may take it. */
  leaseSeconds: number;
  /** First wait after a failure; doubled each time up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  logger: Pick<Logger, 'warn'>;
}

export const defaultIndexerOptions = { idleMs: 1_000, leaseSeconds: 120, backoffMs: 1_000, maxBackoffMs: 60_000 };

/** One embedding call's limit: a provider that hangs is a failure to retry, not a stuck indexer. */
const embedTimeoutMs = 30_000;

/** A provider's embedding models take about 2,000 tokens; a message's opening says what it is about. */
const maxEmbeddedChars = 6_000;
/** Words only, no vectors: search runs with SEARCH_EMBEDDINGS=off. */
const noModel = '';

/**
 * Reads what the event writer queued (search_queue, filled by a trigger) in the background,
 * one batch at a time: its words for typo correction and, with an embedder, its vectors.
 * Never on the token path, and its queue is the table: memory holds one batch. A failure
 * the provider says may pass (429, 5xx, no connection) is retried with backoff, without end;
 * a lasting one splits the batch until the one message it is about is stored without its
 * vector. Several instances share the queue through claims that expire.
 */
export class SearchIndexer {
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #indexed = 0;
  /** Aborts a provider call in flight when the indexer stops. */
  readonly #stopped = new AbortController();

  constructor(
    private readonly store: SearchStore,
    private readonly embedder: TextEmbedder | null,
    private readonly options: SearchIndexerOptions,
  ) {}

  /** Messages read since start (tests wait on it). */
  get indexed(): number {
    return this.#indexed;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stopped.abort();
    this.#wake?.();
    await this.#loop;
  }

  /** Reads the queue now instead of at the end of the idle wait. */
  nudge(): void {
    this.#wake?.();
  }

  /** Reads batches until the queue is empty, failing at the first error (tests, scripts); not alongside start(). */
  async drain(batchSize = this.embedder?.batchSize ?? 64): Promise<void> {
    if (this.embedder) await this.store.queueModel(this.embedder.model);
    for (;;) {
      const batch = await this.store.claimBatch(batchSize, this.options.leaseSeconds);
      if (batch.length === 0) return;
      await this.#index(batch);
    }
  }

  async #run(): Promise<void> {
    try {
      const embedder = this.embedder;
      if (embedder) await this.#retrying(() => this.store.queueModel(embedder.model));
      while (this.#running) {
        const batch = await this.#retrying(() => this.store.claimBatch(embedder?.batchSize ?? 64, this.options.leaseSeconds));
        if (batch.length === 0) await this.#sleep(this.options.idleMs);
        else await this.#index(batch);
      }
    } catch (error) {
      // #retrying gives up only once stop() was called: the batch in hand is claimed again later.
      if (this.#running) throw error;
    }
  }

  async #index(batch: readonly QueuedMessage[]): Promise<void> {
    const eventIds = batch.map((message) => message.event_id);
    const embedder = this.embedder;
    if (embedder === null) {
      await this.#retrying(() => this.store.storeBatch(eventIds, noModel, []));
      this.#indexed += batch.length;
      return;
    }
    let vectors: number[][] | undefined;
    let failure: unknown;
    await this.#retrying(async () => {
      const signal = AbortSignal.any([this.#stopped.signal, AbortSignal.timeout(embedTimeoutMs)]);
      try {
        vectors = await embedder.embed(batch.map((message) => cutText(message.content, maxEmbeddedChars)), 'document', signal);
      } catch (error) {
        // A call cut by its time limit (or by stop()) is tried again like a 503.
        if (embedder.isRetryable(error) || signal.aborted) throw error;
        failure = error;
      }
    }, 'embedding failed; retrying');
    if (vectors === undefined) {
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await this.#index(batch.slice(0, half));
        await this.#index(batch.slice(half));
        return;
      }
      this.options.logger.warn({ err: failure, eventId: eventIds[0] }, 'a message could not be embedded; it stays searchable by its words');
    }
    const found = vectors ?? [];
    const rows = found.map((embedding, index) => ({ event_id: eventIds[index]!, embedding }));
    await this.#retrying(() => this.store.storeBatch(eventIds, embedder.model, rows));
    this.#indexed += batch.length;
  }

  /**
   * Runs `work` until it succeeds, waiting longer after each failure, while the indexer runs;
   * stopped (or draining), the failure is thrown.
   */
  async #retrying<T>(work: () => Promise<T>, message = 'search index write failed; retrying'): Promise<T> {
    let waitMs = this.options.backoffMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (!this.#running) throw error;
        this.options.logger.warn({ err: error, attempt }, message);
        await this.#sleep(waitMs);
        if (!this.#running) throw error;
        waitMs = Math.min(waitMs * 2, this.options.maxBackoffMs);
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
