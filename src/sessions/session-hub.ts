import { randomBytes } from 'node:crypto';
import type { FrameSocket } from './frame-socket.js';
import type { ClusterHost, ClusterNode } from '../cluster/cluster-node.js';
import type { LeaseClaim } from '../cluster/session-leases.js';
import { RemoteSession, type RemoteMember } from '../cluster/remote-session.js';
import type { SessionNotice } from '../cluster/session-notices.js';
import { ParleyError, toParleyError } from '../errors/index.js';
import type { ClientFrame, MessageFrame } from '../protocol/index.js';
import type { SessionRow, SessionStore } from '../store/types.js';
import { waitAtMost } from '../time/wait-at-most.js';
import { loadRecentHistory } from './load-recent-history.js';
import { createRowOnFirstMessage } from './lazy-session-row.js';
import { Session, type Replier, type SessionDependencies } from './session.js';
import { Subscriber } from './subscriber.js';
import { SessionConnection, type RowClaim } from './session-connection.js';

/**
 * What the finalizer needs of the live sessions: whether one is in use, and to let a finalized
 * one go. The hub knows nothing of the finalizer: it tells `onLastDetach` listeners instead.
 */
export interface LiveSessions {
  isAttached(sessionId: string): boolean;
  /**
   * Whether this instance may finalize the session: it runs it, or took it over from nobody.
   * When another instance runs it, that one is asked to (it finalizes once its sockets left).
   */
  acquire(sessionId: string): Promise<boolean>;
  /** Resolves once the session runs no turn; at once when it is not in memory. */
  whenIdle(sessionId: string): Promise<void>;
  /** Drops a finalized session from memory unless someone came back meanwhile. */
  evict(sessionId: string): void;
}

/** How long an attach keeps trying to find or become the session's owner (a dead owner's lease lasts 5 s). */
const ownerSearchMs = 20_000;
const ownerRetryMs = 250;
const claimPatienceMs = 3_000;
/** A follower asks its owner again this often, this many times, before it lets live frames through without the missed ones. */
const rejoinRetryMs = 1_000;
const rejoinAttempts = 20;

/**
 * The live sessions of this instance, by id. Loads a session from the event log on first
 * attach, tells its `onLastDetach` listeners when its last socket leaves (the finalizer's cue)
 * and forgets it once finalized, so memory follows live conversations, not all of them.
 *
 * With a cluster (REDIS_URL), a session runs on the instance holding its lease; sockets here
 * for a session run elsewhere follow it (RemoteSession), and take it over when its owner goes.
 */
export class SessionHub implements LiveSessions, ClusterHost {
  readonly #sessions = new Map<string, Session>();
  readonly #remotes = new Map<string, RemoteSession>();
  readonly #connections = new Map<string, Set<SessionConnection>>();
  readonly #loading = new Map<string, Promise<{ session: Session; existed: boolean }>>();
  readonly #takeovers = new Map<string, Promise<void>>();
  readonly #recovering = new Map<string, Promise<void>>();
  readonly #lastDetachListeners: Array<(sessionId: string) => void> = [];
  #closing = false;

  constructor(
    private readonly store: SessionStore,
    private readonly dependencies: SessionDependencies,
    private readonly cluster: ClusterNode | null = null,
    private readonly onTakeover: (sessionId: string) => void = () => undefined,
  ) {}

  /** `listener` hears the id of each session whose last socket left (not during shutdown). */
  onLastDetach(listener: (sessionId: string) => void): void {
    this.#lastDetachListeners.push(listener);
  }

  get liveCount(): number {
    return this.#sessions.size;
  }

  get followedCount(): number {
    return this.#remotes.size;
  }

  get closing(): boolean {
    return this.#closing;
  }

  get(sessionId: string): Session | undefined {
    return this.#sessions.get(sessionId);
  }

  isAttached(sessionId: string): boolean {
    return (
      (this.#sessions.get(sessionId)?.subscriberCount ?? 0) > 0 ||
      (this.cluster?.followerCount(sessionId) ?? 0) > 0 ||
      this.#remotes.has(sessionId)
    );
  }

  async whenIdle(sessionId: string): Promise<void> {
    await this.#sessions.get(sessionId)?.whenIdle();
  }

  async acquire(sessionId: string): Promise<boolean> {
    const cluster = this.cluster;
    if (!cluster || this.#sessions.has(sessionId)) return true;
    const claim = await cluster.claim(sessionId);
    if (claim.mine) {
      if (claim.fresh) await this.#recover(sessionId);
      return true;
    }
    await cluster.askToFinalize(claim.owner, sessionId);
    return false;
  }

  /** `admit` sees the opened row before the socket is attached and may refuse it by throwing. */
  async attach(
    sessionId: string,
    userId: string | null,
    socket: FrameSocket,
    after?: number,
    admit?: (session: SessionRow) => void,
  ): Promise<SessionConnection> {
    const cluster = this.cluster;
    if (!cluster) return this.#attachWithoutCluster(sessionId, userId, socket, after, admit);
    // A cluster's lease and seq block need the row at once: with REDIS_URL the first socket
    // creates it (lazy-session-row.ts is for one instance). Reopens a finalized session and
    // cancels a pending finalize, durably, before the client is told anything.
    const opened = await this.store.openSession(sessionId, userId);
    admit?.(opened.session);
    const options = { resumed: !opened.created, after };

    const deadline = Date.now() + ownerSearchMs;
    for (;;) {
      const claim = await this.#claimPatiently(cluster, sessionId);
      if (claim.mine) {
        if (claim.fresh && !this.#sessions.has(sessionId)) await this.#takeOverOnce(sessionId, { promoted: false });
        const loaded = await this.#load(sessionId);
        if (cluster.leases.holds(sessionId) && this.#sessions.get(sessionId) === loaded.session) return this.#attachLocal(loaded, socket, options);
        // Handed over to a follower elsewhere while it loaded: follow it there instead.
        this.#dropUnowned(sessionId);
        continue;
      }
      try {
        return await this.#follow(sessionId, claim.owner, socket, { after: after ?? null, resumed: !opened.created });
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, ownerRetryMs));
      }
    }
  }

  /**
   * One instance: a known session is reopened as it is attached; an unknown one is loaded
   * with no row, which its first stored message creates (lazy-session-row.ts), and the socket
   * keeps a claim checked then. Nothing is written for a page that never sends.
   */
  async #attachWithoutCluster(
    sessionId: string,
    userId: string | null,
    socket: FrameSocket,
    after: number | undefined,
    admit: ((session: SessionRow) => void) | undefined,
  ): Promise<SessionConnection> {
    for (;;) {
      const reopened = await this.store.reopenSession(sessionId);
      if (reopened !== null) {
        admit?.(reopened);
        return this.#attachLocal(await this.#load(sessionId), socket, { resumed: true, after });
      }
      const loaded = await this.#load(sessionId, { rowless: true });
      // Its first message created the row meanwhile: admitted against that row instead.
      if (!loaded.session.rowless) continue;
      const claim = { ownerIfNew: userId, admit: admit ?? (() => undefined) };
      // No row, no history: every socket of it is told `resumed: false`.
      return this.#attachLocal({ session: loaded.session, existed: false }, socket, { resumed: false, after }, claim);
    }
  }

  /**
   * A claim that fails (Redis slow or away for a moment, as under a burst of connects) is
   * tried again for a few seconds before the socket is told.
   */
  async #claimPatiently(cluster: ClusterNode, sessionId: string): Promise<LeaseClaim> {
    const deadline = Date.now() + claimPatienceMs;
    for (;;) {
      try {
        return await cluster.claim(sessionId);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, ownerRetryMs));
      }
    }
  }

  detach(connection: SessionConnection): void {
    this.#connections.get(connection.sessionId)?.delete(connection);
    if (this.#connections.get(connection.sessionId)?.size === 0) this.#connections.delete(connection.sessionId);
    const backing = connection.backing;
    if (backing.kind === 'remote') {
      const { remote, member } = backing;
      member.subscriber.detach();
      remote.remove(member.id);
      if (remote.members.size === 0 && this.#remotes.get(remote.sessionId) === remote) {
        this.#remotes.delete(remote.sessionId);
        void this.cluster?.leave(remote).catch(() => undefined);
      }
      return;
    }
    const { session, subscriber } = backing;
    session.detach(subscriber);
    // Nobody sent anything: nothing of it stays, in memory or in the database.
    if (session.rowless && session.subscriberCount === 0 && session.idle && this.#sessions.get(session.id) === session) {
      this.#sessions.delete(session.id);
    }
    this.followersLeft(session.id);
    this.#handOverIfAway(session);
  }

  /** Runs a client frame: here when this instance runs the session, else at its owner. */
  async handle(connection: SessionConnection, frame: ClientFrame, account: string | null): Promise<void> {
    const backing = connection.backing;
    if (backing.kind === 'local') return backing.session.handle(frame, backing.subscriber, account);
    const { remote, member } = backing;
    if (frame.type === 'ping') return member.subscriber.send('{"type":"pong"}');
    member.account = account;
    if (frame.type === 'message') member.unanswered.push(frame);
    try {
      await this.cluster?.forward(remote, member, frame, account);
    } catch {
      if (frame.type === 'message') member.unanswered = member.unanswered.filter((message) => message !== frame);
      const error = new ParleyError('storage_unavailable', 'The instance running this session cannot be reached (Redis is not answering); send again shortly.');
      member.subscriber.send(JSON.stringify(error.toFrame(frame.type === 'message' ? frame.id : undefined)));
    }
  }

  evict(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (session && (session.subscriberCount > 0 || !session.idle || (this.cluster?.followerCount(sessionId) ?? 0) > 0)) return;
    if (session) {
      this.#sessions.delete(sessionId);
      session.setMirror(null);
      session.giveBackSeqs();
    }
    if (this.cluster?.leases.holds(sessionId)) void this.cluster.release(sessionId).catch(() => undefined);
  }

  /**
   * Shutdown: running turns get `graceMs` to finish, then are cancelled (kept as
   * interrupted); then every socket is closed with 1001. The leases go later
   * (`releaseLeases`), once the events are written.
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
    for (const remote of this.#remotes.values()) {
      for (const member of remote.members.values()) member.subscriber.close(1001, 'server shutting down');
    }
    const cluster = this.cluster;
    if (cluster) await Promise.all([...this.#remotes.values()].map((remote) => cluster.leave(remote).catch(() => undefined)));
    this.#remotes.clear();
  }

  /**
   * The last step of a shutdown, after the events are stored: the sessions this instance ran
   * are free, and their followers elsewhere take them over at once instead of after the TTL.
   */
  async releaseLeases(): Promise<void> {
    const cluster = this.cluster;
    if (!cluster) return;
    await Promise.all([...this.#sessions.keys()].map((sessionId) => cluster.release(sessionId).catch(() => undefined)));
  }

  // --- ClusterHost: what other instances ask of this one ---

  async sessionToServe(sessionId: string): Promise<Session | undefined> {
    const live = this.#sessions.get(sessionId);
    if (live || this.#closing || !this.cluster?.leases.holds(sessionId)) return live;
    await this.#takeOverOnce(sessionId, { promoted: false });
    const session = this.#sessions.get(sessionId);
    if (session) this.cluster.own(session);
    return session;
  }

  followedSession(sessionId: string): RemoteSession | undefined {
    return this.#remotes.get(sessionId);
  }

  followedSessions(): Iterable<RemoteSession> {
    return this.#remotes.values();
  }

  followersLeft(sessionId: string): void {
    if (this.#closing || this.isAttached(sessionId)) return;
    for (const listener of this.#lastDetachListeners) listener(sessionId);
  }

  ownerGone(sessionId: string): void {
    if (this.#closing || this.#takeovers.has(sessionId)) return;
    const takeover = this.#promote(sessionId)
      .catch((error: unknown) => this.dependencies.onWriteError?.(error))
      .finally(() => this.#takeovers.delete(sessionId));
    this.#takeovers.set(sessionId, takeover);
  }

  ownerMoved(sessionId: string, owner: string): void {
    const remote = this.#remotes.get(sessionId);
    if (!remote || this.#closing) return;
    remote.owner = owner;
    this.#rejoin(remote);
  }

  leaseLost(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    this.#sessions.delete(sessionId);
    session.setMirror(null);
    void session.stop().catch(() => undefined);
    // Its clients reconnect and follow the instance that holds the session now.
    session.closeAll(1012, 'session moved to another instance');
  }

  finalizeRequested(sessionId: string): void {
    this.followersLeft(sessionId);
  }

  reconnected(): void {
    for (const remote of this.#remotes.values()) this.#rejoin(remote);
  }

  sessionNotice(notice: SessionNotice): void {
    void this.#applyNotice(notice).catch((error: unknown) => this.dependencies.onWriteError?.(error));
  }

  /**
   * Tells every socket of the session, here and (through Redis) on the other instances: a new
   * title reaches each as a `title` frame; a deletion sends each `session_deleted` and closes
   * it (1008), and the session's turn stops and it leaves memory. Resolves once this
   * instance has done so; other instances follow on their own.
   */
  async announce(notice: SessionNotice): Promise<void> {
    // Before this instance lets a deleted session go (a release its followers would act on).
    await this.cluster?.announce(notice);
    await this.#applyNotice(notice);
  }

  async #applyNotice(notice: SessionNotice): Promise<void> {
    const sessionId = notice.session;
    const connections = [...(this.#connections.get(sessionId) ?? [])];
    if (notice.t === 'title') {
      const frame = JSON.stringify({ type: 'title', title: notice.title });
      for (const connection of connections) connection.send(frame);
      return;
    }
    const deleted = JSON.stringify(new ParleyError('session_deleted', 'This session was deleted.').toFrame());
    for (const connection of connections) {
      connection.send(deleted);
      connection.close(1008, 'session_deleted');
    }
    const remote = this.#remotes.get(sessionId);
    if (remote) {
      this.#remotes.delete(sessionId);
      await this.cluster?.leave(remote).catch(() => undefined);
    }
    const session = this.#sessions.get(sessionId);
    if (session) {
      // Out of memory first: the same id opened again starts a new, empty session.
      this.#sessions.delete(sessionId);
      session.setMirror(null);
      await session.stop();
    }
    if (this.cluster?.leases.holds(sessionId)) await this.cluster.release(sessionId).catch(() => undefined);
  }

  // --- Inside ---

  #attachLocal(
    { session, existed }: { session: Session; existed: boolean },
    socket: FrameSocket,
    options: { resumed: boolean; after?: number | undefined },
    claim: RowClaim | null = null,
  ): SessionConnection {
    this.cluster?.own(session);
    const subscriber = session.attach(socket, { resumed: existed || options.resumed, after: options.after });
    return this.#remember(new SessionConnection(session.id, socket, { kind: 'local', session, subscriber }, claim));
  }

  /** What a rowless session calls as its first message is about to be stored. */
  #rowCreator(session: Session): (from: Replier) => Promise<boolean> {
    return async (from) => {
      const attached = [...(this.#connections.get(session.id) ?? [])].filter(
        (connection) => connection.backing.kind === 'local' && connection.backing.session === session,
      );
      const sender = attached.find((connection) => connection.subscriber === from);
      // The sender left before its message came to be stored: nothing is created for it.
      if (sender === undefined) return false;
      return createRowOnFirstMessage(this.store, session.id, sender, attached);
    };
  }

  /**
   * The last socket here left a session whose other sockets are on other instances: once no
   * turn runs, the session goes to one of them (the lease is released and its followers claim
   * it), so it runs where its clients are instead of crossing Redis for every frame.
   */
  #handOverIfAway(session: Session): void {
    const cluster = this.cluster;
    if (!cluster || this.#closing || session.subscriberCount > 0 || cluster.followerCount(session.id) === 0) return;
    if (!session.idle) {
      void session.whenIdle().then(() => this.#handOverIfAway(session));
      return;
    }
    if (this.#sessions.get(session.id) !== session) return;
    this.#sessions.delete(session.id);
    session.setMirror(null);
    session.giveBackSeqs();
    void cluster.release(session.id).catch(() => undefined);
    // If its followers leave before one of them takes it, nobody else would end it: the
    // finalize is scheduled now, and whoever claims it while the session is in use lets it be.
    for (const listener of this.#lastDetachListeners) listener(session.id);
  }

  /** A session in memory whose lease this instance does not hold is stale: it goes. */
  #dropUnowned(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (!session || this.cluster?.leases.holds(sessionId)) return;
    this.#sessions.delete(sessionId);
    session.setMirror(null);
  }

  async #follow(sessionId: string, owner: string, socket: FrameSocket, options: { after: number | null; resumed: boolean }): Promise<SessionConnection> {
    const cluster = this.cluster as ClusterNode;
    let remote = this.#remotes.get(sessionId);
    if (!remote) {
      const created = new RemoteSession(sessionId, owner, (member) => this.#rejoinMember(created, member, 0));
      remote = created;
      this.#remotes.set(sessionId, remote);
    }
    const member: RemoteMember = {
      id: randomBytes(6).toString('hex'),
      subscriber: this.#subscriberFor(socket),
      last: { seq: -1, k: 0 },
      waiting: null,
      unanswered: [],
      account: null,
    };
    try {
      await cluster.join(remote, member, { ...options, quiet: false });
    } catch (error) {
      if (remote.members.size === 0 && this.#remotes.get(sessionId) === remote) this.#remotes.delete(sessionId);
      throw error;
    }
    return this.#remember(new SessionConnection(sessionId, socket, { kind: 'remote', remote, member }));
  }

  /**
   * Follows the session's (new) owner again, each socket from the last frame it got; its live
   * frames wait meanwhile, so none overtakes the ones it missed. Retried while the owner does
   * not answer (Redis coming back, or the owner changing again: the watch moves `remote.owner`).
   */
  #rejoin(remote: RemoteSession): void {
    for (const member of remote.members.values()) this.#rejoinMember(remote, member, 0);
  }

  #rejoinMember(remote: RemoteSession, member: RemoteMember, attempt: number): void {
    const cluster = this.cluster as ClusterNode;
    cluster
      .join(remote, member, { after: member.last.seq, resumed: true, quiet: true })
      .then(() => {
        for (const message of member.unanswered) void cluster.forward(remote, member, message, member.account).catch(() => undefined);
      })
      .catch(() => {
        if (this.#closing || member.subscriber.closed || this.#remotes.get(remote.sessionId) !== remote) return;
        remote.add(member);
        if (attempt >= rejoinAttempts) {
          // Live frames flow again; what was missed stays missed (the client may resume with after).
          member.waiting = null;
          return;
        }
        setTimeout(() => this.#rejoinMember(remote, member, attempt + 1), rejoinRetryMs).unref();
      });
  }

  /**
   * The owner of a followed session is gone: this instance takes the lease, stores the cut
   * answer, and its sockets here move onto the session it now runs (no new `session` frame:
   * each gets what came after the last frame it had, the recovered turn's `done` first).
   */
  async #promote(sessionId: string): Promise<void> {
    const remote = this.#remotes.get(sessionId);
    if (!remote || !this.cluster) return;
    const claim = await this.cluster.claim(sessionId);
    if (!claim.mine) return this.ownerMoved(sessionId, claim.owner);
    if (!this.#sessions.has(sessionId)) await this.#takeOverOnce(sessionId, { promoted: true });
    const { session } = await this.#load(sessionId);
    this.cluster.own(session);
    this.#remotes.delete(sessionId);
    remote.forgetTurn();
    await this.cluster.leave(remote).catch(() => undefined);
    for (const connection of this.#connections.get(sessionId) ?? []) {
      const backing = connection.backing;
      if (backing.kind !== 'remote') continue;
      const { member } = backing;
      member.subscriber.detach();
      const subscriber = session.attach(connection.socket, { resumed: true, after: member.last.seq, quiet: true });
      connection.backing = { kind: 'local', session, subscriber };
      for (const message of member.unanswered) await this.#handleSafely(session, message, subscriber, member.account);
    }
  }

  async #handleSafely(session: Session, message: MessageFrame, subscriber: Subscriber, account: string | null): Promise<void> {
    try {
      await session.handle(message, subscriber, account);
    } catch (error) {
      subscriber.send(JSON.stringify(toParleyError(error).toFrame(message.id)));
    }
  }

  /** One takeover per session at a time, whoever asks (a follower's watch, an attach, a follow request). */
  #takeOverOnce(sessionId: string, options: { promoted: boolean }): Promise<void> {
    let running = this.#recovering.get(sessionId);
    if (!running) {
      running = this.#takeOver(sessionId, options).finally(() => this.#recovering.delete(sessionId));
      this.#recovering.set(sessionId, running);
    }
    return running;
  }

  /** A lease taken from nobody: the answer a dead owner left cut short is stored, then the session loads. */
  async #takeOver(sessionId: string, options: { promoted: boolean } = { promoted: false }): Promise<void> {
    const recovered = await this.#recover(sessionId);
    const { session } = await this.#load(sessionId);
    if (recovered !== null) session.endRecoveredTurn(recovered);
    if (recovered !== null || options.promoted) this.onTakeover(sessionId);
  }

  /** The turn's seq when a cut answer was stored. */
  async #recover(sessionId: string): Promise<number | null> {
    const cluster = this.cluster as ClusterNode;
    const streamed = await cluster.partialAnswer(sessionId);
    const recovered = await this.store.recoverInterruptedAnswer(sessionId, streamed);
    if (!recovered) return null;
    return recovered.turn_seq ?? streamed?.turnSeq ?? recovered.seq - 1;
  }

  #subscriberFor(socket: FrameSocket): Subscriber {
    return new Subscriber(socket, this.dependencies.limits.backpressure, () => this.dependencies.onSlowConsumer?.());
  }

  #remember(connection: SessionConnection): SessionConnection {
    let set = this.#connections.get(connection.sessionId);
    if (!set) {
      set = new Set();
      this.#connections.set(connection.sessionId, set);
    }
    set.add(connection);
    return connection;
  }

  /** `rowless`: the session has no database row yet; a load it starts waits for the first message to create one. */
  async #load(sessionId: string, { rowless = false } = {}): Promise<{ session: Session; existed: boolean }> {
    const live = this.#sessions.get(sessionId);
    if (live) return { session: live, existed: true };
    let loading = this.#loading.get(sessionId);
    if (!loading) {
      loading = (async () => {
        const [recent, seqReservedThrough, row] = await Promise.all([
          loadRecentHistory(this.store, sessionId, this.dependencies.limits.history),
          this.store.readSeqReservation(sessionId),
          // The model its user picked (LLM_MODELS) sticks across loads.
          rowless ? null : this.store.getSession(sessionId),
        ]);
        const { lastSeq, history, olderHistory, existed } = recent;
        const session = new Session(sessionId, { lastSeq, seqReservedThrough, history, olderHistory, model: row?.model ?? null }, this.dependencies);
        if (rowless) session.awaitRow(this.#rowCreator(session));
        this.#sessions.set(sessionId, session);
        return { session, existed };
      })().finally(() => this.#loading.delete(sessionId));
      this.#loading.set(sessionId, loading);
    }
    return loading;
  }
}

