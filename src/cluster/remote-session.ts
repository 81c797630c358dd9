import type { MessageFrame } from '../protocol/index.js';
import type { Subscriber } from '../sessions/subscriber.js';
import { isAfter, type MirroredFrame } from './cluster-messages.js';

/** One socket here whose session runs on another instance. */
export interface RemoteMember {
  /** Unique on this instance: replies are addressed to it. */
  readonly id: string;
  readonly subscriber: Subscriber;
  /** The last frame it got, in the session's order. */
  last: { seq: number; k: number };
  /** Live frames held back while it catches up from the stream; null once caught up. */
  waiting: MirroredFrame[] | null;
  /** Messages forwarded to the owner and not answered yet: sent again if this instance takes over. */
  unanswered: MessageFrame[];
  /** Whose quotas the socket's messages count against (quota-account.ts). */
  account: string | null;
}

/** What the follower needs to know about a welcome to put a member in step. */
export interface Welcome {
  sessionFrame: string | null;
  replayAfter: number | null;
  turnInProgress: boolean;
  through: { seq: number; k: number };
}

interface FrameHead {
  type?: string;
  id?: string;
  content?: string;
  duplicate?: boolean;
}

/**
 * The sockets of this instance that follow a session run elsewhere. Frames from the owner
 * arrive once (in the bundles on this instance's channel) and go to each member above what it already got, so a
 * frame is never sent twice and catch-up and live delivery may overlap safely.
 */
export class RemoteSession {
  readonly members = new Map<string, RemoteMember>();
  #turnInProgress = false;
  #idleWaiters: Array<() => void> = [];

  constructor(
    readonly sessionId: string,
    public owner: string,
    /**
     * A member's next frame skipped a seq: one published while Redis or the subscription was
     * away is missing. Its frames are held from here; it must be put in step again (a rejoin).
     */
    private readonly onGap: (member: RemoteMember) => void = () => undefined,
  ) {}

  get turnInProgress(): boolean {
    return this.#turnInProgress;
  }

  add(member: RemoteMember): void {
    member.waiting = [];
    this.members.set(member.id, member);
  }

  remove(memberId: string): void {
    this.members.delete(memberId);
  }

  /** The welcome arrived: the session frame, the frames read from the stream, then those held back. */
  welcome(member: RemoteMember, welcome: Welcome, replay: readonly MirroredFrame[]): void {
    this.#setTurnInProgress(welcome.turnInProgress);
    if (welcome.sessionFrame !== null) member.subscriber.send(welcome.sessionFrame);
    if (welcome.replayAfter === null) {
      if (isAfter(welcome.through, member.last)) member.last = welcome.through;
    } else {
      for (const frame of replay) if (frame.seq > welcome.replayAfter) this.#deliverTo(member, frame, this.#head(frame));
    }
    const held = member.waiting ?? [];
    member.waiting = null;
    for (const frame of held) this.#deliverTo(member, frame, this.#head(frame));
  }

  frame(frame: MirroredFrame): void {
    const head = this.#head(frame);
    if (head.type === 'ack') this.#setTurnInProgress(true);
    else if (head.type === 'done') this.#setTurnInProgress(false);
    for (const member of this.members.values()) {
      if (member.waiting) {
        member.waiting.push(frame);
      } else if (member.last.seq >= 0 && frame.seq > member.last.seq + 1) {
        member.waiting = [frame];
        this.onGap(member);
      } else {
        this.#deliverTo(member, frame, head);
      }
    }
  }

  /** A frame meant for one socket only (an error, a repeated ack, a pong). */
  reply(memberId: string, serialized: string): void {
    const member = this.members.get(memberId);
    if (!member) return;
    const head = JSON.parse(serialized) as FrameHead;
    if (head.id !== undefined) member.unanswered = member.unanswered.filter((message) => message.id !== head.id);
    member.subscriber.send(serialized);
  }

  whenIdle(): Promise<void> {
    if (!this.#turnInProgress) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** The owner is gone and nobody will send this turn's `done`: whoever waits for it stops waiting. */
  forgetTurn(): void {
    this.#setTurnInProgress(false);
  }

  #deliverTo(member: RemoteMember, frame: MirroredFrame, head: FrameHead): void {
    if (!isAfter(frame, member.last)) return;
    member.last = { seq: frame.seq, k: frame.k };
    if (head.type === 'ack' && head.id !== undefined) member.unanswered = member.unanswered.filter((message) => message.id !== head.id);
    if (head.type === 'token' && head.content !== undefined) member.subscriber.sendToken(frame.seq, head.content, frame.serialized);
    else member.subscriber.send(frame.serialized);
  }

  #head(frame: MirroredFrame): FrameHead {
    return JSON.parse(frame.serialized) as FrameHead;
  }

  #setTurnInProgress(value: boolean): void {
    this.#turnInProgress = value;
    if (value) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
