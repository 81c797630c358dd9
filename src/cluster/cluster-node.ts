import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { ParleyError } from '../errors/index.js';
import type { ClientFrame } from '../protocol/index.js';
import type { Replier, Session } from '../sessions/session.js';
import type { ClusterKeys } from './cluster-keys.js';
import { RedisBatch } from '../redis/redis-batch.js';
import { ClusterBus } from './cluster-bus.js';
import {
  decodeInstanceMessage,
  decodeFrameBundle,
  encodeFrameBundle,
  frameBundleMark,
  encodeInstanceMessage,
  parseStreamId,
  releasedNotice,
  type InstanceMessage,
  type MirroredFrame,
} from './cluster-messages.js';
import { partialAnswerFromFrames } from './partial-answer.js';
import type { RemoteMember, RemoteSession } from './remote-session.js';
import { SessionLeases, type LeaseClaim, type LeaseTiming } from './session-leases.js';
import { SessionMirror } from './session-mirror.js';
import { decodeSessionNotice, encodeSessionNotice, type SessionNotice } from './session-notices.js';

/** What the cluster asks of this instance's sessions (the hub). */
export interface ClusterHost {
  /** The session this instance runs, loaded if it holds the lease but let it go from memory. */
  sessionToServe(sessionId: string): Promise<Session | undefined>;
  followedSession(sessionId: string): RemoteSession | undefined;
  followedSessions(): Iterable<RemoteSession>;
  /** The last follower elsewhere left a session this instance runs. */
  followersLeft(sessionId: string): void;
  /** The owner of a followed session is gone: take it over. */
  ownerGone(sessionId: string): void;
  /** A followed session has a new owner: follow it there. */
  ownerMoved(sessionId: string, owner: string): void;
  /** Another instance holds the lease of a session this one runs. */
  leaseLost(sessionId: string): void;
  /** Another instance claimed a due finalization of a session this one runs. */
  finalizeRequested(sessionId: string): void;
  /** Redis came back: followers ask their owners for what they missed. */
  reconnected(): void;
  /** Another instance renamed or deleted a session: its sockets here are told. */
  sessionNotice(notice: SessionNotice): void;
}

export interface ClusterMetrics {
  forwarded(): void;
  fanoutLag(seconds: number): void;
}

export interface ClusterLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

/** How long a follower waits for the owner's welcome before it looks at the lease again. */
const welcomeTimeoutMs = 3_000;
/**
 * How long a lease must stay missing before a follower takes over: Redis may have restarted
 * empty, and the owner renews at once when it reconnects.
 */
const missingLeaseGraceMs = 3_000;

const warnEveryMs = 10_000;

export function newInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * This instance among the others: its leases, its channel, the mirrors of the sessions it runs
 * for followers elsewhere, and the watch on the owners of the sessions it follows.
 */
export class ClusterNode {
  readonly leases: SessionLeases;
  readonly #bus: ClusterBus;
  /** Every mirrored frame of one event-loop turn, in one pipeline. */
  readonly #batch: RedisBatch;
  /** This turn's frames for each follower instance, published as one message each when the batch goes. */
  readonly #outbox = new Map<string, string[]>();
  #stopping = false;
  readonly #mirrors = new Map<string, SessionMirror>();
  readonly #welcomes = new Map<string, { resolve: (message: Extract<InstanceMessage, { t: 'welcome' }>) => void }>();
  /** Per forwarded socket, its frames in arrival order (as the route does for local sockets). */
  readonly #forwardChains = new Map<string, Promise<void>>();
  /** When each followed session's lease was first seen missing. */
  readonly #missingSince = new Map<string, number>();
  #host: ClusterHost | null = null;
  /** When each kind of repeated warning was last logged: a Redis outage must not flood the log. */
  readonly #warnedAt = new Map<string, number>();
  #watch: NodeJS.Timeout | null = null;
  #redisUp = false;

  constructor(
    /** The command connection, shared with the quotas and rate limits. */
    readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keys: ClusterKeys,
    readonly instanceId: string,
    timing: LeaseTiming,
    private readonly metrics: ClusterMetrics,
    private readonly logger: ClusterLogger,
  ) {
    this.leases = new SessionLeases(
      redis,
      keys,
      instanceId,
      timing,
      (sessionId, owner) => {
        logger.warn({ sessionId, owner }, 'another instance holds the lease of a session this one ran; it lets the session go');
        this.#mirrors.delete(sessionId);
        this.#host?.leaseLost(sessionId);
      },
      (error) => this.#warnOnce('renew', error, 'lease renewal failed; retrying'),
    );
    this.#batch = new RedisBatch(
      redis,
      (error) => this.#warnOnce('mirror', error, 'mirroring frames to other instances failed'),
      (commands) => {
        for (const [instanceId, records] of this.#outbox) commands.publish(this.keys.instanceChannel(instanceId), encodeFrameBundle(records));
        this.#outbox.clear();
      },
    );
    this.#bus = new ClusterBus(subscriber, redis, (error) => this.#warnOnce('subscriber', error, 'Redis subscriber error'));
    this.#watchEveryMs = timing.renewEveryMs;
    this.#redisUp = redis.status === 'ready';
    redis.on('ready', () => {
      if (!this.#redisUp) logger.info({}, 'Redis connected');
      this.#redisUp = true;
      // A Redis that restarted empty lost the leases: they are taken again before followers give up on them.
      if (this.#host) void this.leases.renew();
    });
    redis.on('close', () => {
      if (this.#redisUp && !this.#stopping) logger.warn({}, 'Redis connection lost; reconnecting');
      this.#redisUp = false;
    });
    // Not at the first connect: only a reconnect can have lost frames.
    let connectedBefore = subscriber.status === 'ready';
    subscriber.on('ready', () => {
      if (connectedBefore) this.#host?.reconnected();
      connectedBefore = true;
    });
  }

  readonly #watchEveryMs: number;

  get redisUp(): boolean {
    return this.#redisUp;
  }

  async start(host: ClusterHost): Promise<void> {
    this.#host = host;
    await this.#bus.subscribe(this.keys.instanceChannel(this.instanceId), (text) => this.#onInstanceMessage(text));
    await this.#bus.subscribe(this.keys.notices, (text) => {
      const received = decodeSessionNotice(text);
      if (received && received.from !== this.instanceId) this.#host?.sessionNotice(received.notice);
    });
    await this.leases.renew();
    this.leases.start();
    this.#watch = setInterval(() => void this.#watchOwners(), this.#watchEveryMs);
    this.#watch.unref();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#batch.flush();
    this.leases.stop();
    if (this.#watch) clearInterval(this.#watch);
    this.#watch = null;
    await this.redis.del(this.keys.instanceAlive(this.instanceId)).catch(() => undefined);
    this.redis.disconnect();
    this.subscriber.disconnect();
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  claim(sessionId: string): Promise<LeaseClaim> {
    return this.leases.claim(sessionId);
  }

  /**
   * A lease just taken from nobody: if the last owner died mid-turn, its answer so far (the
   * turn's stream, or the database checkpoint) is stored as interrupted. The turn's seq when
   * one was cut short.
   */
  async partialAnswer(sessionId: string): Promise<{ turnSeq: number; content: string } | null> {
    const entries = await this.redis.xrange(this.keys.turnStream(sessionId), '-', '+');
    return partialAnswerFromFrames(entries.map(([, fields]) => fields[1] ?? '{}'));
  }

  /**
   * Tells every other instance (which tell their sockets). Sent before this instance lets a
   * deleted session go, so its followers hear of the deletion before they hear it was released.
   */
  async announce(notice: SessionNotice): Promise<void> {
    await this.#bus.publish(this.keys.notices, encodeSessionNotice(notice, this.instanceId));
    if (notice.t === 'deleted') await this.redis.del(this.keys.turnStream(notice.session));
  }

  /** The session is no longer this instance's: followers elsewhere claim it. */
  async release(sessionId: string): Promise<void> {
    this.#mirrors.delete(sessionId);
    this.#batch.flush();
    await this.leases.release(sessionId);
    await this.#bus.publish(this.keys.sessionChannel(sessionId), releasedNotice);
  }

  /** This instance runs the session now, and answers followers of it. */
  own(session: Session): void {
    const mirror = this.#mirrors.get(session.id);
    if (mirror) session.setMirror(mirror);
  }

  followerCount(sessionId: string): number {
    return this.#mirrors.get(sessionId)?.followerCount ?? 0;
  }

  // --- The follower's side ---

  /**
   * Puts a socket of this instance in step with the session run by `remote.owner`: asks it for
   * a welcome, reads the turn's stream from where the welcome says, then lets live frames
   * through. Throws `owner_unavailable` when the owner does not answer as the owner.
   */
  async join(remote: RemoteSession, member: RemoteMember, options: { after: number | null; resumed: boolean; quiet: boolean }): Promise<void> {
    // Held back from here: live frames wait until the catch-up below has been sent.
    remote.add(member);
    const channel = this.keys.sessionChannel(remote.sessionId);
    // Frames come on this instance's own channel; the session's tells when its owner lets go.
    await this.#bus.subscribe(channel, (text) => {
      if (text === releasedNotice) this.#host?.ownerGone(remote.sessionId);
    });
    const req = randomBytes(8).toString('hex');
    const answered = new Promise<Extract<InstanceMessage, { t: 'welcome' }> | null>((resolve) => {
      const timer = setTimeout(() => {
        this.#welcomes.delete(req);
        resolve(null);
      }, welcomeTimeoutMs);
      this.#welcomes.set(req, {
        resolve: (message) => {
          clearTimeout(timer);
          this.#welcomes.delete(req);
          resolve(message);
        },
      });
    });
    await this.#send(remote.owner, { t: 'follow', session: remote.sessionId, from: this.instanceId, req, ...options });
    const welcome = await answered;
    if (welcome === null || welcome.notOwner) {
      remote.remove(member.id);
      throw new ParleyError('storage_unavailable', 'The instance running this session did not answer.');
    }
    const replay = welcome.replayAfter === null ? [] : await this.#readStream(remote.sessionId, welcome.replayAfter);
    remote.welcome(member, welcome, replay);
  }

  /** The last socket here left the session. */
  async leave(remote: RemoteSession): Promise<void> {
    this.#missingSince.delete(remote.sessionId);
    await this.#bus.unsubscribe(this.keys.sessionChannel(remote.sessionId));
    await this.#send(remote.owner, { t: 'unfollow', session: remote.sessionId, from: this.instanceId }).catch(() => undefined);
  }

  /** A frame from a socket here, for the session's owner; its answers come back as replies. */
  async forward(remote: RemoteSession, member: RemoteMember, frame: ClientFrame, account: string | null): Promise<void> {
    this.metrics.forwarded();
    await this.#send(remote.owner, { t: 'frame', session: remote.sessionId, from: this.instanceId, socket: member.id, frame, account });
  }

  /** Asks the owner to finalize a session it runs, whose due finalization this instance claimed. */
  async askToFinalize(owner: string, sessionId: string): Promise<void> {
    await this.#send(owner, { t: 'finalize', session: sessionId });
  }

  async #readStream(sessionId: string, after: number): Promise<MirroredFrame[]> {
    const entries = await this.redis.xrange(this.keys.turnStream(sessionId), `${after + 1}-0`, '+');
    return entries.map(([id, fields]) => ({ ...parseStreamId(id), sentAt: Date.now(), serialized: fields[1] ?? '{}' }));
  }

  /** Followers say they are there, and look at who runs what they follow. */
  async #watchOwners(): Promise<void> {
    const host = this.#host;
    if (!host) return;
    const now = Date.now();
    for (const [sessionId, mirror] of this.#mirrors) {
      if (mirror.expire(now) && mirror.followerCount === 0) host.followersLeft(sessionId);
    }
    const followed = [...host.followedSessions()];
    if (followed.length === 0) return;
    try {
      const byOwner = new Map<string, string[]>();
      for (const remote of followed) byOwner.set(remote.owner, [...(byOwner.get(remote.owner) ?? []), remote.sessionId]);
      await Promise.all([...byOwner].map(([owner, sessions]) => this.#send(owner, { t: 'beat', from: this.instanceId, sessions })));
      const owners = await this.leases.owners(followed.map((remote) => remote.sessionId));
      followed.forEach((remote, index) => {
        const owner = owners[index] ?? null;
        if (owner === this.instanceId) {
          // A takeover of its own was cut short: it runs the session here now.
          this.#missingSince.delete(remote.sessionId);
          host.ownerGone(remote.sessionId);
        } else if (owner === remote.owner) {
          this.#missingSince.delete(remote.sessionId);
        } else if (owner !== null) {
          this.#missingSince.delete(remote.sessionId);
          host.ownerMoved(remote.sessionId, owner);
        } else {
          const since = this.#missingSince.get(remote.sessionId) ?? now;
          this.#missingSince.set(remote.sessionId, since);
          if (now - since >= missingLeaseGraceMs) {
            this.#missingSince.delete(remote.sessionId);
            host.ownerGone(remote.sessionId);
          }
        }
      });
    } catch (error) {
      this.#warnOnce('watch', error, 'could not look at the owners of followed sessions; retrying');
    }
  }

  // --- The owner's side ---

  #onInstanceMessage(text: string): void {
    if (text.startsWith(frameBundleMark)) return this.#onFrames(text);
    const message = decodeInstanceMessage(text);
    const host = this.#host;
    if (!message || !host) return;
    switch (message.t) {
      case 'welcome':
        this.#welcomes.get(message.req)?.resolve(message);
        return;
      case 'reply':
        host.followedSession(message.session)?.reply(message.socket, message.serialized);
        return;
      case 'follow':
        void this.#welcome(message, host).catch((error: unknown) => this.#warnOnce('welcome', error, 'could not answer a follower'));
        return;
      case 'beat':
        for (const sessionId of message.sessions) this.#mirrors.get(sessionId)?.beat(message.from, Date.now());
        return;
      case 'unfollow': {
        const mirror = this.#mirrors.get(message.session);
        if (!mirror) return;
        mirror.unfollow(message.from);
        if (mirror.followerCount === 0) host.followersLeft(message.session);
        return;
      }
      case 'frame':
        this.#runForwarded(message, host);
        return;
      case 'finalize':
        host.finalizeRequested(message.session);
        return;
    }
  }

  #onFrames(text: string): void {
    const now = Date.now();
    for (const { sessionId, frame } of decodeFrameBundle(text)) {
      this.metrics.fanoutLag(Math.max(0, now - frame.sentAt) / 1000);
      this.#host?.followedSession(sessionId)?.frame(frame);
    }
  }

  async #welcome(request: Extract<InstanceMessage, { t: 'follow' }>, host: ClusterHost): Promise<void> {
    const session = this.leases.holds(request.session) ? await host.sessionToServe(request.session) : undefined;
    if (!session) {
      void this.#send(request.from, {
        t: 'welcome', session: request.session, req: request.req, sessionFrame: null, notOwner: true,
        replayAfter: null, turnInProgress: false, through: { seq: 0, k: 0 },
      }).catch(() => undefined);
      return;
    }
    let mirror = this.#mirrors.get(request.session);
    if (!mirror) {
      mirror = new SessionMirror(request.session, this.#batch, this.keys, (instanceId, record) => {
        const records = this.#outbox.get(instanceId);
        if (records) records.push(record);
        else this.#outbox.set(instanceId, [record]);
      });
      this.#mirrors.set(request.session, mirror);
      session.setMirror(mirror);
    }
    mirror.follow(request.from, session.replayFrames(true), Date.now(), { rewrite: request.quiet });
    const joined = session.join({ resumed: request.resumed, after: request.after ?? undefined, quiet: request.quiet });
    await this.#send(request.from, {
      t: 'welcome',
      session: request.session,
      req: request.req,
      sessionFrame: joined.sessionFrame,
      replayAfter: joined.replayAfter,
      turnInProgress: !session.idle,
      through: mirror.through,
    });
  }

  #runForwarded(message: Extract<InstanceMessage, { t: 'frame' }>, host: ClusterHost): void {
    const key = `${message.from} ${message.socket}`;
    const reply: Replier = {
      send: (serialized: string) => {
        void this.#send(message.from, { t: 'reply', session: message.session, socket: message.socket, serialized }).catch(() => undefined);
      },
    };
    const previous = this.#forwardChains.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      const session = this.leases.holds(message.session) ? await host.sessionToServe(message.session) : undefined;
      if (!session) {
        // The follower's watch moves it to the new owner; the client sends again after that.
        reply.send(JSON.stringify(new ParleyError('storage_unavailable', 'The session moved to another instance; send again.').toFrame(message.frame.type === 'message' ? message.frame.id : undefined)));
        return;
      }
      await session.handle(message.frame, reply, message.account);
    }).catch((error: unknown) => this.logger.warn({ err: error, sessionId: message.session }, 'forwarded frame failed'));
    this.#forwardChains.set(key, next);
    void next.then(() => {
      if (this.#forwardChains.get(key) === next) this.#forwardChains.delete(key);
    });
  }

  #warnOnce(kind: string, error: unknown, message: string): void {
    const now = Date.now();
    if (now - (this.#warnedAt.get(kind) ?? 0) < warnEveryMs) return;
    this.#warnedAt.set(kind, now);
    this.logger.warn({ err: error }, message);
  }

  /** After the frames batched so far: everything this instance sends keeps one order. */
  #send(instanceId: string, message: InstanceMessage): Promise<unknown> {
    this.#batch.flush();
    return this.#bus.publish(this.keys.instanceChannel(instanceId), encodeInstanceMessage(message));
  }
}
