import type { RedisBatch } from '../redis/redis-batch.js';
import type { ClusterKeys } from './cluster-keys.js';
import { frameRecord, streamId } from './cluster-messages.js';

/** A frame as the session delivered it: numbered and serialized once. */
export interface DeliveredFrame {
  seq: number;
  serialized: string;
}

/** How long a turn's stream lives from its first frame (set once per turn), and how many frames it keeps. */
const streamTtlMs = 60 * 60_000;
const streamMaxFrames = 20_000;
/** A follower that has not said it is there for this long is gone. */
export const followerTimeoutMs = 10_000;

/**
 * The owner's side of a session that has sockets on other instances: each frame the session
 * delivers goes into the turn's Redis Stream (replay, and the partial answer if this instance
 * dies) and out to each follower instance (live delivery, one message per event-loop turn).
 * Sessions whose sockets are all here have no mirror, so their frames never touch Redis.
 */
export class SessionMirror {
  /** Follower instance -> when it last said it is there. */
  readonly #followers = new Map<string, number>();
  #last = { seq: 0, k: 0 };

  constructor(
    readonly sessionId: string,
    private readonly batch: RedisBatch,
    private readonly keys: ClusterKeys,
    /** Queues a frame for a follower instance: one message per instance per event-loop turn. */
    private readonly sendTo: (instanceId: string, record: string) => void,
  ) {}

  /** The last frame mirrored. */
  get through(): { seq: number; k: number } {
    return this.#last;
  }

  get followerCount(): number {
    return this.#followers.size;
  }

  /**
   * A follower arrived. The first one starts the mirror: the stream is rewritten with the
   * frames the turn delivered so far, before anything else is published, so a welcome sent
   * after this finds them all there. `rewrite`: a follower lost track (Redis was away, or the
   * owner changed), so the stream is rewritten from memory even though the mirror runs.
   */
  follow(instanceId: string, framesSoFar: readonly DeliveredFrame[], now: number, options: { rewrite: boolean }): void {
    const starting = this.#followers.size === 0;
    this.#followers.set(instanceId, now);
    if (!starting && !options.rewrite) return;
    const key = this.keys.turnStream(this.sessionId);
    const commands = this.batch.commands.del(key);
    this.#last = { seq: 0, k: 0 };
    for (const frame of framesSoFar) commands.xadd(key, streamId(this.#nextId(frame.seq)), 'f', frame.serialized);
    commands.pexpire(key, streamTtlMs);
    // Out now: the welcome that follows must find the stream whole.
    this.batch.flush();
  }

  beat(instanceId: string, now: number): boolean {
    if (!this.#followers.has(instanceId)) return false;
    this.#followers.set(instanceId, now);
    return true;
  }

  unfollow(instanceId: string): void {
    this.#followers.delete(instanceId);
  }

  /** Drops followers silent past the timeout; true when some went. */
  expire(now: number): boolean {
    let expired = false;
    for (const [instanceId, seenAt] of this.#followers) {
      if (now - seenAt <= followerTimeoutMs) continue;
      this.#followers.delete(instanceId);
      expired = true;
    }
    return expired;
  }

  /** `firstOfTurn`: the turn's ack; the previous turn's frames leave the stream. */
  frameDelivered(frame: DeliveredFrame, firstOfTurn: boolean): void {
    if (this.#followers.size === 0) return;
    const id = this.#nextId(frame.seq);
    const key = this.keys.turnStream(this.sessionId);
    const commands = this.batch.commands;
    if (firstOfTurn) commands.del(key);
    commands.xadd(key, 'MAXLEN', '~', streamMaxFrames, streamId(id), 'f', frame.serialized);
    if (firstOfTurn) commands.pexpire(key, streamTtlMs);
    const record = frameRecord(this.sessionId, { ...id, sentAt: Date.now(), serialized: frame.serialized });
    for (const instanceId of this.#followers.keys()) this.sendTo(instanceId, record);
  }

  #nextId(seq: number): { seq: number; k: number } {
    this.#last = seq === this.#last.seq ? { seq, k: this.#last.k + 1 } : { seq, k: 0 };
    return this.#last;
  }
}
