import type { WebSocket } from 'ws';
import type { SessionRow, SessionStore } from '../store/types.js';
import { historyFromEvents } from './history-from-events.js';
import { Session, type SessionDependencies } from './session.js';
import type { Subscriber } from './subscriber.js';

export interface Attachment {
  session: Session;
  subscriber: Subscriber;
}

/**
 * The live sessions of this instance, by id. Loads a session from the event log on first
 * attach, tells `onLastDetach` when its last socket leaves (the finalizer's cue) and forgets
 * it once finalized, so memory follows live conversations, not all of them.
 */
export class SessionHub {
  readonly #sessions = new Map<string, Session>();
  readonly #loading = new Map<string, Promise<{ session: Session; existed: boolean }>>();
  #closing = false;

  constructor(
    private readonly store: SessionStore,
    private readonly dependencies: SessionDependencies,
    private readonly hooks: { onLastDetach(sessionId: string): void },
  ) {}

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
    if (session.subscriberCount === 0 && !this.#closing) this.hooks.onLastDetach(session.id);
  }

  /** Drops a finalized session from memory unless someone came back meanwhile. */
  evict(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (session && session.subscriberCount === 0 && session.idle) this.#sessions.delete(sessionId);
  }

  /**
   * Shutdown: running turns get `graceMs` to finish, then are cancelled (kept as
   * interrupted); then every socket is closed with 1001.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.#closing = true;
    const sessions = [...this.#sessions.values()];
    const finishing = Promise.all(sessions.map((session) => session.whenIdle()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    if ((await Promise.race([finishing, timedOut])) === 'timeout') {
      await Promise.all(sessions.map((session) => session.stop()));
    }
    clearTimeout(timer);
    for (const session of sessions) session.closeAll(1001, 'server shutting down');
  }

  async #load(sessionId: string): Promise<{ session: Session; existed: boolean }> {
    const live = this.#sessions.get(sessionId);
    if (live) return { session: live, existed: true };
    let loading = this.#loading.get(sessionId);
    if (!loading) {
      loading = (async () => {
        const events = await this.store.loadEvents(sessionId);
        const lastSeq = events.reduce((max, event) => Math.max(max, event.seq), 0);
        const session = new Session(sessionId, { lastSeq, history: historyFromEvents(events) }, this.dependencies);
        this.#sessions.set(sessionId, session);
        return { session, existed: events.length > 0 };
      })().finally(() => this.#loading.delete(sessionId));
      this.#loading.set(sessionId, loading);
    }
    return loading;
  }
}
