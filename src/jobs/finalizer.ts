import type { Logger } from '../logging/logger.js';
import type { HistoryItem } from '../protocol/index.js';
import { activeHistory } from '../protocol/active-history.js';
import { historyFromEvents } from '../protocol/history-from-events.js';
import type { LiveSessions } from '../sessions/session-hub.js';
import type { SessionRow, SessionStore } from '../store/types.js';
import { computeSessionMetrics } from './session-metrics.js';

export interface FinalizerOptions {
  store: SessionStore;
  sessions: LiveSessions;
  writer: { flush(): Promise<void> };
  summarize(history: HistoryItem[]): Promise<{ summary: string; method: string }>;
  graceMs: number;
  /** How often due finalizations are looked for, besides the timer set at each disconnect. */
  pollMs: number;
  logger: Logger;
  /**
   * Store every checkpoint a crash left as an interrupted answer at start. Off with several
   * instances: another live instance may be writing those answers; each session's is
   * recovered when an instance takes the session over (SessionHub).
   */
  recoverAtStart: boolean;
  onFinalized?: (sessionId: string) => void;
}

/**
 * Ends sessions durably and exactly once. A disconnect records `finalize_due_at` in the
 * database; whichever instance claims the row (SKIP LOCKED) writes the summary and metrics.
 * A claimed session stays active until then, so a crash mid-way is redone at the next start.
 */
export class Finalizer {
  readonly #timers = new Set<NodeJS.Timeout>();
  #poll: NodeJS.Timeout | null = null;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(private readonly options: FinalizerOptions) {}

  /**
   * Crash recovery, then the periodic look for due sessions. Answers a crash cut short are
   * stored first, so the summaries of the sessions it left active include them.
   */
  async start(): Promise<void> {
    const recovered = this.options.recoverAtStart ? await this.options.store.recoverInterruptedAnswers() : [];
    if (recovered.length > 0) {
      this.options.logger.warn(
        { count: recovered.length, sessionIds: recovered.map((answer) => answer.session_id) },
        'stored answers cut short by a previous run as interrupted',
      );
    }
    const abandoned = await this.options.store.claimAbandoned(10_000);
    if (abandoned.length > 0) this.options.logger.info({ count: abandoned.length }, 'finalizing sessions left active by a previous run');
    await this.#finalizeAll(abandoned);
    this.#poll = setInterval(() => void this.runDue(), this.options.pollMs);
    this.#poll.unref();
  }

  /** Called when the last socket of a session leaves. */
  schedule(sessionId: string): void {
    if (this.#stopped) return;
    const dueAt = new Date(Date.now() + this.options.graceMs);
    this.options.store.scheduleFinalize(sessionId, dueAt).then(
      () => {
        if (this.#stopped) return;
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          void this.runDue();
        }, Math.max(0, dueAt.getTime() - Date.now()) + 5);
        this.#timers.add(timer);
      },
      (error: unknown) => this.options.logger.warn({ err: error, sessionId }, 'could not schedule finalize; the periodic check will retry'),
    );
  }

  /**
   * Claims and finalizes what is due; runs are serialized so one pass never overlaps another.
   * Never rejects: a failed pass is logged and the next one retries.
   */
  runDue(): Promise<void> {
    this.#running = this.#running.then(async () => {
      if (this.#stopped) return;
      try {
        const due = await this.options.store.claimDueFinalizations(new Date(), 50);
        await this.#finalizeAll(due);
      } catch (error) {
        this.options.logger.warn({ err: error }, 'finalize pass failed; will retry');
      }
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#poll) clearInterval(this.#poll);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#running;
  }

  async #finalizeAll(rows: SessionRow[]): Promise<void> {
    for (const row of rows) {
      try {
        await this.#finalize(row);
      } catch (error) {
        // The session stays active: the next start (or a later disconnect) finalizes it.
        this.options.logger.error({ err: error, sessionId: row.session_id }, 'finalize failed');
      }
    }
  }

  async #finalize(row: SessionRow): Promise<void> {
    const { sessions } = this.options;
    const sessionId = row.session_id;
    if (sessions.isAttached(sessionId)) return;
    // Another live instance runs it: that one finalizes it once its sockets have left.
    if (!(await sessions.acquire(sessionId))) return;
    try {
      await this.#summarizeAndClose(row);
    } finally {
      // Finalized or not, an unused session leaves memory and gives its lease up.
      sessions.evict(sessionId);
    }
  }

  async #summarizeAndClose(row: SessionRow): Promise<void> {
    const { sessions, store } = this.options;
    const sessionId = row.session_id;
    // A turn the user walked away from still ends and is logged before the summary reads the log.
    await sessions.whenIdle(sessionId);
    await this.options.writer.flush();
    const events = await store.loadEvents(sessionId);
    // The summary covers the conversation as it stands: turns a regenerated or edited message replaced are left out.
    const { summary, method } = await this.options.summarize(activeHistory(historyFromEvents(events)));
    if (sessions.isAttached(sessionId)) return;
    const metrics = computeSessionMetrics(row, events, new Date());
    await store.completeFinalize(sessionId, summary, { ...metrics, summary_method: method });
    this.options.logger.info({ sessionId, messages: metrics.message_count, summaryMethod: method }, 'session finalized');
    this.options.onFinalized?.(sessionId);
  }
}
