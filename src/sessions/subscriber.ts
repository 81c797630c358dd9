import type { FrameSocket } from './frame-socket.js';
import { ParleyError } from '../errors/index.js';

export interface BackpressureLimits {
  /** Above this many buffered bytes, token frames are merged instead of queued. */
  softBytes: number;
  /** Above this, the client is too slow: it is closed and may resume with `after`. */
  hardBytes: number;
}

const drainPollMs = 15;
const slowConsumer = new ParleyError('slow_consumer', 'The connection read too slowly; reconnect with after=<last seq> to resume.');

/**
 * Whether `bytes` more fit under the socket's hard limit of unread bytes. Every frame a socket
 * gets is checked here first, before and after it is attached to a session; past the limit
 * nothing is sent and the socket is closed (1008 `slow_consumer`).
 */
export function hasRoomFor(socket: FrameSocket, bytes: number, hardBytes: number): boolean {
  return socket.bufferedAmount + bytes <= hardBytes;
}

/**
 * One socket attached to a session. Frames arrive already serialized (each frame is
 * stringified once for all sockets). While the socket's buffer is high, consecutive token
 * frames are merged into one carrying the last merged `seq`, so a slow reader costs the
 * server at most `hardBytes` and gets the same text, with fewer frames.
 */
export class Subscriber {
  #pendingText = '';
  #pendingSeq = -1;
  #drainTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    readonly socket: FrameSocket,
    private readonly limits: BackpressureLimits,
    private readonly onSlowConsumer: (subscriber: Subscriber) => void,
  ) {}

  get closed(): boolean {
    return this.#closed || this.socket.readyState !== this.socket.OPEN;
  }

  sendToken(seq: number, content: string, serialized: string): void {
    if (this.closed) return;
    if (this.#pendingSeq >= 0 || this.socket.bufferedAmount > this.limits.softBytes) {
      this.#pendingText += content;
      this.#pendingSeq = seq;
      if (this.socket.bufferedAmount + this.#pendingText.length > this.limits.hardBytes) return this.#closeSlow();
      this.#scheduleDrain();
      return;
    }
    this.#write(serialized);
  }

  /** Any other frame: pending tokens go first so order is kept. */
  send(serialized: string): void {
    if (this.closed) return;
    this.#flushPending();
    this.#write(serialized);
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#flushPending();
    this.#closed = true;
    this.#clearTimer();
    this.socket.close(code, reason);
  }

  detach(): void {
    this.#closed = true;
    this.#clearTimer();
  }

  #write(serialized: string): void {
    if (!hasRoomFor(this.socket, serialized.length, this.limits.hardBytes)) return this.#closeSlow();
    this.socket.send(serialized);
  }

  /** Its buffer is full, so no error frame can reach it: the close reason carries the code. */
  #closeSlow(): void {
    this.#closed = true;
    this.#pendingText = '';
    this.#pendingSeq = -1;
    this.#clearTimer();
    this.onSlowConsumer(this);
    this.socket.close(1008, slowConsumer.code);
  }

  #flushPending(): void {
    if (this.#pendingSeq < 0) return;
    const frame = JSON.stringify({ type: 'token', seq: this.#pendingSeq, content: this.#pendingText });
    this.#pendingText = '';
    this.#pendingSeq = -1;
    this.#clearTimer();
    this.#write(frame);
  }

  #scheduleDrain(): void {
    if (this.#drainTimer) return;
    this.#drainTimer = setTimeout(() => {
      this.#drainTimer = null;
      if (this.closed) return;
      if (this.socket.bufferedAmount <= this.limits.softBytes) this.#flushPending();
      else this.#scheduleDrain();
    }, drainPollMs);
  }

  #clearTimer(): void {
    if (this.#drainTimer) clearTimeout(this.#drainTimer);
    this.#drainTimer = null;
  }
}
