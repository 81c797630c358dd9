import type { ClientFrame, ServerFrame } from '../../../src/protocol/index.js';
import type { ConnectionStatus } from '../state/chat-state.js';
import { reconnectDelay } from './reconnect-delay.js';
import { accessToken } from '../session-address.js';

export interface SessionSocketOptions {
  sessionId: string;
  userId: string;
  /** The last seq the page has applied (-1: none), read at each (re)connect for `?after=`. */
  lastSeq(): number;
  onFrame(frame: ServerFrame): void;
  onStatus(status: ConnectionStatus): void;
  /** The server refused the connection for good (a bad session id): no more retries. */
  onRefused(reason: string): void;
}

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
    const token = accessToken();
    if (token) query.set('token', token);
    const after = this.options.lastSeq();
    if (after >= 0) query.set('after', String(after));
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/ws/session/${encodeURIComponent(this.options.sessionId)}?${query}`);
    this.#socket = socket;
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
        this.#everConnected = true;
      }
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
      if (event.code === 1008 && event.reason === 'bad_request') return this.options.onRefused(event.reason);
      this.#scheduleRetry();
    });
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
