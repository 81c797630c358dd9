import type { SessionTitle } from '../llm/model-runner.js';
import type { Logger } from '../logging/logger.js';
import { historyFromEvents, type HistoryItem, type TurnStatus } from '../protocol/index.js';
import type { SessionChanges } from '../store/session-changes.js';
import type { SessionStore } from '../store/types.js';

export interface TitleWriterOptions {
  store: Pick<SessionStore, 'getSession' | 'listEvents'>;
  changes: Pick<SessionChanges, 'titleIfUntitled'>;
  /** The title for a conversation's first exchange (the model runner's, or the extractive one). */
  write(history: HistoryItem[], signal: AbortSignal): Promise<SessionTitle>;
  /** A title was stored: the session's sockets are told. */
  announce(sessionId: string, title: string): Promise<void>;
  logger: Pick<Logger, 'warn'>;
  /** Titles written at once (each one model call). */
  concurrency?: number;
  /** Sessions waiting for a title; past it one is skipped, and its next completed turn asks again. */
  maxWaiting?: number;
}

/** The first exchange, and a little more, is what a title is written from. */
const eventsRead = 50;
/** How many titled sessions are remembered, so their later turns cost no query. */
const rememberedTitled = 10_000;

/**
 * Names sessions in the background, off the token path: after a session's first completed
 * turn on the instance that ran it, its title is written (by the model, or extracted from the
 * first message when the model is offline or fails) unless it has one. A title the owner set
 * first is never replaced: the store writes only where none is.
 */
export class TitleWriter {
  readonly #waiting = new Set<string>();
  readonly #titled = new Set<string>();
  readonly #stopping = new AbortController();
  readonly #running = new Set<Promise<void>>();
  readonly #concurrency: number;
  readonly #maxWaiting: number;

  constructor(private readonly options: TitleWriterOptions) {
    this.#concurrency = options.concurrency ?? 2;
    this.#maxWaiting = options.maxWaiting ?? 1_000;
  }

  /** Called when a turn ends; returns at once. */
  afterTurn(sessionId: string, status: TurnStatus): void {
    if (status !== 'complete' || this.#stopping.signal.aborted || this.#titled.has(sessionId) || this.#waiting.has(sessionId)) return;
    if (this.#waiting.size >= this.#maxWaiting) return;
    this.#waiting.add(sessionId);
    this.#next();
  }

  /** A deleted session's id may come back as a new session, which needs a title of its own. */
  forget(sessionId: string): void {
    this.#titled.delete(sessionId);
  }

  /** Resolves once no title is being written (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  /** Abandons the waiting sessions and aborts the model calls in progress. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#waiting.clear();
    await this.idle();
  }

  #next(): void {
    while (this.#running.size < this.#concurrency && this.#waiting.size > 0) {
      const sessionId = this.#waiting.values().next().value as string;
      this.#waiting.delete(sessionId);
      const running: Promise<void> = this.#title(sessionId)
        .catch((error: unknown) => this.options.logger.warn({ err: error, sessionId }, 'session title not written; its next turn tries again'))
        .finally(() => {
          this.#running.delete(running);
          this.#next();
        });
      this.#running.add(running);
    }
  }

  async #title(sessionId: string): Promise<void> {
    const { store, changes } = this.options;
    const session = await store.getSession(sessionId);
    if (session === null) return;
    if (session.title === null) {
      const { events } = await store.listEvents(sessionId, { limit: eventsRead });
      const { title } = await this.options.write(historyFromEvents(events), this.#stopping.signal);
      if (this.#stopping.signal.aborted) return;
      if (await changes.titleIfUntitled(sessionId, title)) await this.options.announce(sessionId, title);
    }
    this.#remember(sessionId);
  }

  #remember(sessionId: string): void {
    this.#titled.add(sessionId);
    if (this.#titled.size > rememberedTitled) this.#titled.delete(this.#titled.values().next().value as string);
  }
}
