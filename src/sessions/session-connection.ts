import type { FrameSocket } from './frame-socket.js';
import type { RemoteMember, RemoteSession } from '../cluster/remote-session.js';
import type { Session } from './session.js';
import type { Subscriber } from './subscriber.js';
import type { SessionRow } from '../store/types.js';

/**
 * What a socket attached to a session with no row yet brings to its creation: the owner it
 * would give the session, and the check that throws (the route's refusal) when the row, as
 * created by whichever message came first, is not its to use.
 */
export interface RowClaim {
  ownerIfNew: string | null;
  admit: (session: SessionRow) => void;
}

/** Where one socket's session runs: here, or on another instance that this one follows. */
export type ConnectionBacking =
  | { kind: 'local'; session: Session; subscriber: Subscriber }
  | { kind: 'remote'; remote: RemoteSession; member: RemoteMember };

/**
 * One socket attached to a session, as the route holds it. Its backing changes when this
 * instance takes over a session it followed; the route never notices.
 */
export class SessionConnection {
  constructor(
    readonly sessionId: string,
    readonly socket: FrameSocket,
    public backing: ConnectionBacking,
    /** Set when the session had no row as the socket attached (lazy-session-row.ts). */
    readonly claim: RowClaim | null = null,
  ) {}

  get subscriber(): Subscriber {
    return this.backing.kind === 'local' ? this.backing.subscriber : this.backing.member.subscriber;
  }

  send(serialized: string): void {
    this.subscriber.send(serialized);
  }

  close(code: number, reason: string): void {
    this.subscriber.close(code, reason);
  }

  /** Resolves once the session runs no turn. */
  whenIdle(): Promise<void> {
    return this.backing.kind === 'local' ? this.backing.session.whenIdle() : this.backing.remote.whenIdle();
  }
}
