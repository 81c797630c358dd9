import type { ClientFrame, ServerFrame } from '../../../src/protocol/index.js';
import type { ConnectionStatus } from '../state/chat-state.js';
import { reconnectDelay } from './reconnect-delay.js';

/** Why the server closed a socket for good (close code 1008 and an `error` frame before it). */
export interface SocketRefusal {
  code: string;
  message: string;
  /** The token the refused connection carried. */
  token: string | null;
}

export interface SessionSocketOptions {
  sessionId: string;
  userId: string;
  /** The last seq the page has applied (-1: none), read at each (re)connect for `?after=`. */
  lastSeq(): number;
  onFrame(frame: ServerFrame): void;
  onStatus(status: ConnectionStatus): void;
  /** The token to send as `?access_token=`, read at each (re)connect; null: none. */
  token(): string | null;
  /** Asked when the server refuses a token: a newer one to reconnect with, or null. */
  renewToken(stale: string | null): Promise<string | null>;
  /** The server refused the connection for good (a bad session id, a foreign session, no valid token, a deleted session): no more retries. */
  onRefused(refusal: SocketRefusal): void;
}

/** Refusals that another attempt with the same address and token cannot change. */
const finalRefusals = new Set(['bad_request', 'forbidden', 'not_found', 'session_deleted']);

const pingEveryMs = 20_000;
/** No frame at all (not even a pong) for this long: the connection is dead without saying so. */
const silenceLimitMs = 45_000;

/** One session's WebSocket: connects, reconnects with backoff resuming after lastSeq, keeps alive. */
export class SessionSocket {
  #socket: WebSocket | null = null;
  #attempt = 0;
  #everConnected = false;
  #stopped = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #lastFrameAt = 0;
  /** Token refusals since the last `session` frame: a renewed token that is refused too ends the retries. */
  #unauthorizedInARow = 0;

  constructor(private readonly options: SessionSocketOptions) {}

  start(): void {
    window.addEventListener('online', this.#reconnectNow);
    window.addEventListener('offline', this.#wentOffline);
    document.addEventListener('visibilitychange', this.#onVisible);
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
    window.removeEventListener('online', this.#reconnectNow);
    window.removeEventListener('offline', this.#wentOffline);
    document.removeEventListener('visibilitychange', this.#onVisible);
    this.#socket?.close(1000, 'page closed the session');
    this.#socket = null;
  }

  /** False when not connected: the caller keeps the frame's effect pending and resends later. */
  send(frame: ClientFrame): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  #connect(): void {
    if (this.#stopped) return;
    if (!navigator.onLine) return this.options.onStatus('offline');
    this.options.onStatus(this.#everConnected ? 'reconnecting' : 'connecting');
    const query = new URLSearchParams({ user_id: this.options.userId });
    // A browser cannot set headers on a WebSocket: the token travels in the query (the server keeps it out of its logs).
    const token = this.options.token();
    if (token !== null) query.set('access_token', token);
    const after = this.options.lastSeq();
    if (after >= 0) query.set('after', String(after));
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/ws/session/${encodeURIComponent(this.options.sessionId)}?${query}`);
    this.#socket = socket;
    let lastError: { code: string; message: string } | null = null;
    socket.addEventListener('message', (event) => {
      if (socket !== this.#socket) return;
      this.#lastFrameAt = Date.now();
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'session') {
        this.#attempt = 0;
        this.#unauthorizedInARow = 0;
        this.#everConnected = true;
      }
      if (frame.type === 'error' && frame.seq === undefined) lastError = { code: frame.code, message: frame.message };
      this.options.onFrame(frame);
    });
    socket.addEventListener('open', () => {
      this.#lastFrameAt = Date.now();
      clearInterval(this.#pingTimer);
      this.#pingTimer = setInterval(this.#keepAlive, pingEveryMs);
    });
    socket.addEventListener('close', (event) => {
      if (socket !== this.#socket) return;
      this.#socket = null;
      clearInterval(this.#pingTimer);
      if (this.#stopped) return;
      if (event.code === 1008) {
        const code = event.reason || lastError?.code || '';
        const refusal = { code, message: lastError?.code === code ? lastError.message : '', token };
        if (code === 'unauthorized') return void this.#afterUnauthorized(refusal);
        if (finalRefusals.has(code)) return this.options.onRefused(refusal);
      }
      this.#scheduleRetry();
    });
  }

  /**
   * A token the server no longer takes (expired, revoked): reconnect at once with a newer
   * one when there is one (a Supabase session refreshes itself), else refuse for good so
   * the page asks for a sign-in instead of retrying in a loop.
   */
  async #afterUnauthorized(refusal: SocketRefusal): Promise<void> {
    this.#unauthorizedInARow += 1;
    const fresh = this.#unauthorizedInARow > 1 ? null : await this.options.renewToken(refusal.token).catch(() => null);
    if (this.#stopped || this.#socket) return;
    if (fresh !== null && fresh !== refusal.token) return this.#connect();
    this.options.onRefused(refusal);
  }

  #scheduleRetry(): void {
    clearTimeout(this.#retryTimer);
    if (!navigator.onLine) return this.options.onStatus('offline');
    this.options.onStatus(this.#everConnected ? 'reconnecting' : 'connecting');
    this.#retryTimer = setTimeout(() => this.#connect(), reconnectDelay(this.#attempt++));
  }

  #keepAlive = (): void => {
    if (Date.now() - this.#lastFrameAt > silenceLimitMs) {
      // A dead TCP connection may take minutes to report its close: let it go now.
      const silent = this.#socket;
      this.#socket = null;
      clearInterval(this.#pingTimer);
      silent?.close(4000, 'no answer to ping');
      this.#scheduleRetry();
      return;
    }
    this.send({ type: 'ping' });
  };

  #reconnectNow = (): void => {
    if (this.#stopped || this.#socket) return;
    clearTimeout(this.#retryTimer);
    this.#attempt = 0;
    this.#connect();
  };

  #wentOffline = (): void => {
    if (!this.#socket) this.options.onStatus('offline');
  };

  #onVisible = (): void => {
    if (document.visibilityState === 'visible') this.#reconnectNow();
  };
}
