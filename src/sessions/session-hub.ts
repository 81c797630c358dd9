import type { WebSocket } from 'ws';
import type { SessionRow, SessionStore } from '../store/types.js';
import { waitAtMost } from '../time/wait-at-most.js';
import { historyFromEvents } from './history-from-events.js';
import { Session, type SessionDependencies } from './session.js';
import type { Subscriber } from './subscriber.js';

export interface Attachment {
  session: Session;
  subscriber: Subscriber;
}

/**
 * What the finalizer needs of the live sessions: whether one is in use, and to let a finalized
 * one go. The hub knows nothing of the finalizer: it tells `onLastDetach` listeners instead.
 */
export interface LiveSessions {
  isAttached(sessionId: string): boolean;
  /** Resolves once the session runs no turn; at once when it is not in memory. */
  whenIdle(sessionId: string): Promise<void>;
  /** Drops a finalized session from memory unless someone came back meanwhile. */
  evict(sessionId: string): void;
}

/**
 * The live sessions of this instance, by id. Loads a session from the event log on first
 * attach, tells its `onLastDetach` listeners when its last socket leaves (the finalizer's cue)
 * and forgets it once finalized, so memory follows live conversations, not all of them.
 */
export class SessionHub implements LiveSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #loading = new Map<string, Promise<{ session: Session; existed: boolean }>>();
  readonly #lastDetachListeners: Array<(sessionId: string) => void> = [];
  #closing = false;

  constructor(
    private readonly store: SessionStore,
    private readonly dependencies: SessionDependencies,
  ) {}

  /** `listener` hears the id of each session whose last socket left (not during shutdown). */
  onLastDetach(listener: (sessionId: string) => void): void {
    this.#lastDetachListeners.push(listener);
  }

  get liveCount(): number {
    return this.#sessions.size;
  }

  get closing(): boolean {
    return this.#closing;
  }

  get(sessionId: string): Session | undefined {
    return this.#sessions.get(sessionId);
  }

  isAttached(sessionId: string): boolean {
    return (this.#sessions.get(sessionId)?.subscriberCount ?? 0) > 0;
  }

  async whenIdle(sessionId: string): Promise<void> {
    await this.#sessions.get(sessionId)?.whenIdle();
  }

  /** `admit` sees the opened row before the socket is attached and may refuse it by throwing. */
  async attach(
    sessionId: string,
    userId: string | null,
    socket: WebSocket,
    after?: number,
    admit?: (session: SessionRow) => void,
  ): Promise<Attachment> {
    // Reopens a finalized session and cancels a pending finalize, durably, before the client is told anything.
    const opened = await this.store.openSession(sessionId, userId);
    admit?.(opened.session);
    const { session, existed } = await this.#load(sessionId);
    const subscriber = session.attach(socket, {
      resumed: existed || !opened.created,
      ...(after === undefined ? {} : { after }),
    });
    return { session, subscriber };
  }

  detach({ session, subscriber }: Attachment): void {
    session.detach(subscriber);
    if (session.subscriberCount > 0 || this.#closing) return;
    for (const listener of this.#lastDetachListeners) listener(session.id);
  }

  evict(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (session && session.subscriberCount === 0 && session.idle) {
      this.#sessions.delete(sessionId);
      session.giveBackSeqs();
    }
  }

  /**
   * Shutdown: running turns get `graceMs` to finish, then are cancelled (kept as
   * interrupted); then every socket is closed with 1001.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.#closing = true;
    const sessions = [...this.#sessions.values()];
    const finishing = Promise.all(sessions.map((session) => session.whenIdle()));
    if (!(await waitAtMost(finishing, graceMs))) {
      await Promise.all(sessions.map((session) => session.stop()));
    }
    for (const session of sessions) {
      session.giveBackSeqs();
      session.closeAll(1001, 'server shutting down');
    }
  }

  async #load(sessionId: string): Promise<{ session: Session; existed: boolean }> {
    const live = this.#sessions.get(sessionId);
    if (live) return { session: live, existed: true };
    let loading = this.#loading.get(sessionId);
    if (!loading) {
      loading = (async () => {
        const [events, seqReservedThrough] = await Promise.all([this.store.loadEvents(sessionId), this.store.readSeqReservation(sessionId)]);
        const lastSeq = events.reduce((max, event) => Math.max(max, event.seq), 0);
        const session = new Session(sessionId, { lastSeq, seqReservedThrough, history: historyFromEvents(events) }, this.dependencies);
        this.#sessions.set(sessionId, session);
        return { session, existed: events.length > 0 };
      })().finally(() => this.#loading.delete(sessionId));
      this.#loading.set(sessionId, loading);
    }
    return loading;
  }
}
