import { afterClose } from './close-decision.js';
import { ParleyClientError } from './client-error.js';
import type { ClientFrame, ServerFrame, SessionFrame } from './frames.js';
import { Listeners } from './listeners.js';
import { randomId } from './random-id.js';
import { reconnectDelay } from './reconnect-delay.js';
import { sessionUrl } from './session-url.js';
import { Turn } from './turn.js';
import { TurnTracker } from './turn-tracker.js';
import { openState, type WebSocketConstructor, type WebSocketLike } from './websocket-like.js';

/** `offline`: the browser says it has no network; `closed`: by `close()`, or refused for good. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'closed';

/** The server refused the connection for good: a bad session id, another user's session, no valid token. */
export interface Refusal {
  error: ParleyClientError;
  /** The token the refused connection carried. */
  token: string | null;
}

export interface ClientEvents {
  /** Every server frame, once, in order (frames replayed after a reconnect are not repeated). */
  frame: ServerFrame;
  state: ConnectionState;
  /** A turn this client did not send: another tab's, or one already running when it connected. */
  turn: Turn;
  refused: Refusal;
  /** The connection dropped and the next attempt is planned: a page can say when it comes. */
  retry: RetryPlan;
}

/** The `attempt`-th reconnect (0 for the first after a drop) starts in `delayMs`. */
export interface RetryPlan {
  attempt: number;
  delayMs: number;
}

type TokenSource = string | null | (() => string | null | Promise<string | null>);

export interface ConnectOptions {
  /** The server: `ws(s)://host[:port]`, or `http(s)://` (a page passes `location.origin`). */
  url: string;
  /** A JWT or API_TOKEN, or a function asked at each (re)connect. */
  token?: TokenSource;
  /**
   * Asked once when the server refuses the token: a newer one to reconnect with, or null to
   * give up. A `token` function must give the newer one from then on.
   */
  renewToken?: (stale: string | null) => Promise<string | null>;
  /** The last seq already seen: the first connect replays only what follows it. */
  after?: number;
  /** The user a new session is created for (open mode, or an operator's token). */
  userId?: string;
  /** Where there is no global WebSocket (Node 20): `WebSocket` from the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** Reconnect delays: doubling from `baseMs` (500) up to `maxMs` (15,000), jittered. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** A ping every `pingEveryMs` (20,000); no frame for `silenceMs` (45,000) and the connection is dropped and made again. */
  keepAlive?: { pingEveryMs?: number; silenceMs?: number };
}

export interface SendOptions {
  /** The message id (1-128 characters); a random one by default. The server runs an id once. */
  id?: string;
  /** Cancel the running turn (it ends `interrupted`) and answer this instead. */
  interrupt?: boolean;
  /** Ids of files uploaded to the session (`POST /api/sessions/{id}/files`). */
  attachments?: readonly string[];
  /**
   * Answer the user message of this seq again (its text and files are the server's; `content`
   * may be empty): the new turn replaces that one and every turn after it.
   */
  regenerate?: number;
  /** This message is an edit of the user message of this seq: it replaces that turn and every turn after it. */
  editOf?: number;
  /** One of the `session` frame's `models` (its `id`): this turn and the session's next ones answer with it. */
  model?: string;
}

/** What the client reads of a browser, when it runs in one (none of it exists in Node). */
interface BrowserEnvironment {
  addEventListener?(type: string, listener: () => void): void;
  removeEventListener?(type: string, listener: () => void): void;
  navigator?: { onLine?: boolean };
  document?: { visibilityState?: string; addEventListener?(type: string, listener: () => void): void; removeEventListener?(type: string, listener: () => void): void };
}

const environment = globalThis as unknown as BrowserEnvironment & { WebSocket?: WebSocketConstructor };

/**
 * One session over one WebSocket at a time: connects, reconnects with jittered backoff
 * resuming after the last seq seen, resends messages the server had not acknowledged, and
 * sorts frames into turns.
 */
export class ParleyClient {
  readonly sessionId: string;
  readonly #options: ConnectOptions;
  readonly #WebSocket: WebSocketConstructor;
  readonly #listeners = new Listeners<ClientEvents>();
  readonly #tracker: TurnTracker;
  #socket: WebSocketLike | null = null;
  /** The `session` frame of the current socket has arrived: frames may be sent. */
  #live = false;
  #state: ConnectionState = 'connecting';
  #session: SessionFrame | null = null;
  #attempt = 0;
  #everConnected = false;
  #closed = false;
  #cancelWanted = false;
  #unauthorizedInARow = 0;
  #lastFrameAt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(sessionId: string, options: ConnectOptions) {
    const WebSocketClass = options.WebSocket ?? environment.WebSocket;
    if (WebSocketClass === undefined) {
      throw new TypeError('There is no global WebSocket here (Node 20 has none): pass { WebSocket } from the ws package.');
    }
    // A malformed url is the caller's mistake, said now rather than at the first reconnect.
    sessionUrl({ url: options.url, sessionId, token: null, after: -1 });
    this.sessionId = sessionId;
    this.#options = options;
    this.#WebSocket = WebSocketClass;
    this.#tracker = new TurnTracker(options.after ?? -1, (id) => new Turn(id, () => this.cancel()));
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The latest `session` frame: history, model, whether a turn runs. */
  get session(): SessionFrame | null {
    return this.#session;
  }

  /** The highest seq seen; a reconnect asks for the frames after it. */
  get lastSeq(): number {
    return this.#tracker.lastSeq;
  }

  /** The turn whose answer is being written, if any. */
  get currentTurn(): Turn | null {
    return this.#tracker.current;
  }

  on<E extends keyof ClientEvents>(event: E, listener: (value: ClientEvents[E]) => void): () => void {
    return this.#listeners.on(event, listener);
  }

  /** Opens the connection; `connect()` calls it. */
  start(): void {
    environment.addEventListener?.('online', this.reconnectNow);
    environment.addEventListener?.('offline', this.#wentOffline);
    environment.document?.addEventListener?.('visibilitychange', this.#onVisible);
    void this.#connect();
  }

  /**
   * Sends a user message, now or as soon as the connection is live (again); until its `ack`
   * it is sent again after each reconnect, with the same id, so it runs exactly once.
   */
  send(content: string, options: SendOptions = {}): Turn & { id: string } {
    const frame = {
      type: 'message' as const,
      content,
      id: options.id ?? randomId(),
      ...(options.interrupt ? { interrupt: true } : {}),
      ...(options.attachments?.length ? { attachments: [...options.attachments] } : {}),
      ...(options.regenerate === undefined ? {} : { regenerate: options.regenerate }),
      ...(options.editOf === undefined ? {} : { edit_of: options.editOf }),
      ...(options.model === undefined ? {} : { model: options.model }),
    };
    const turn = new Turn(frame.id, () => this.cancel()) as Turn & { id: string };
    this.#tracker.sent(turn, frame);
    if (this.#live) this.#sendFrame(frame);
    return turn;
  }

  /** Stops the running answer and answers `content` instead. */
  interrupt(content: string, options: Omit<SendOptions, 'interrupt'> = {}): Turn & { id: string } {
    return this.send(content, { ...options, interrupt: true });
  }

  /** Stops the turn in progress (it ends `cancelled`); while disconnected, once connected again. */
  cancel(): void {
    if (this.#live) this.#sendFrame({ type: 'cancel' });
    else this.#cancelWanted = true;
  }

  /** Connects at once instead of waiting for the next retry (the page does on `online` and when shown). */
  readonly reconnectNow = (): void => {
    if (this.#closed || this.#socket) return;
    clearTimeout(this.#retryTimer);
    this.#attempt = 0;
    void this.#connect();
  };

  /** Closes the connection for good; turns still waiting end with `client_closed`. */
  close(): void {
    this.#shutDown(new ParleyClientError('client_closed', 'The client was closed before the turn ended.'));
  }

  /** Closes for good; turns still waiting end with `reason`. */
  #shutDown(reason: ParleyClientError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTimers();
    environment.removeEventListener?.('online', this.reconnectNow);
    environment.removeEventListener?.('offline', this.#wentOffline);
    environment.document?.removeEventListener?.('visibilitychange', this.#onVisible);
    this.#socket?.close(1000, 'client closed');
    this.#socket = null;
    this.#live = false;
    this.#tracker.close(reason);
    this.#setState('closed');
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    if (environment.navigator?.onLine === false) return this.#setState('offline');
    this.#setState(this.#everConnected ? 'reconnecting' : 'connecting');
    let token: string | null;
    try {
      token = await this.#tokenNow();
    } catch {
      token = null;
    }
    if (this.#closed || this.#socket) return;
    const url = sessionUrl({ url: this.#options.url, sessionId: this.sessionId, token, after: this.#tracker.lastSeq, userId: this.#options.userId });
    const socket = new this.#WebSocket(url);
    this.#socket = socket;
    this.#live = false;
    let lastError: { code: string; message: string } | null = null;
    socket.onopen = () => {
      this.#lastFrameAt = Date.now();
      clearInterval(this.#pingTimer);
      this.#pingTimer = setInterval(this.#keepAlive, this.#options.keepAlive?.pingEveryMs ?? 20_000);
    };
    socket.onmessage = (event) => {
      if (socket !== this.#socket) return;
      this.#lastFrameAt = Date.now();
      const frame = parseFrame(event.data);
      if (frame === null) return;
      if (frame.type === 'error' && frame.seq === undefined) lastError = { code: frame.code, message: frame.message };
      if (frame.type === 'session') return this.#onSession(frame);
      const effect = this.#tracker.frame(frame);
      if (effect.started) this.#listeners.emit('turn', effect.started);
      if (effect.deliver) this.#listeners.emit('frame', frame);
    };
    socket.onclose = (event) => {
      if (socket !== this.#socket) return;
      this.#socket = null;
      this.#live = false;
      clearInterval(this.#pingTimer);
      if (this.#closed) return;
      if (event.code === 1008 && (event.reason || lastError?.code) === 'unauthorized') this.#unauthorizedInARow += 1;
      const decision = afterClose({ code: event.code, reason: event.reason, lastError, unauthorizedInARow: this.#unauthorizedInARow });
      if (decision.action === 'retry') return this.#scheduleRetry();
      const error = new ParleyClientError(decision.code, decision.message, { recoverable: false });
      if (decision.action === 'renew') return void this.#renew(token, error);
      this.#refuse(error, token);
    };
  }

  #onSession(frame: SessionFrame): void {
    this.#attempt = 0;
    this.#unauthorizedInARow = 0;
    this.#everConnected = true;
    this.#live = true;
    this.#session = frame;
    this.#setState('live');
    this.#listeners.emit('frame', frame);
    for (const message of this.#tracker.connected(frame)) this.#sendFrame(message);
    if (this.#cancelWanted && frame.turn_in_progress) this.#sendFrame({ type: 'cancel' });
    this.#cancelWanted = false;
  }

  /**
   * A token the server no longer takes (expired, revoked): reconnect at once with a newer
   * one when there is one (a Supabase session refreshes itself), else refuse for good, so
   * that the caller asks for a sign-in instead of the client retrying in a loop.
   */
  async #renew(stale: string | null, error: ParleyClientError): Promise<void> {
    const fresh = this.#options.renewToken ? await this.#options.renewToken(stale).catch(() => null) : null;
    if (this.#closed || this.#socket) return;
    if (fresh !== null && fresh !== stale) {
      this.#renewedToken = fresh;
      return this.#connect();
    }
    this.#refuse(error, stale);
  }

  /** A fixed `token` option's replacement from renewToken (a `token` function gives the renewed one itself). */
  #renewedToken: string | null = null;

  async #tokenNow(): Promise<string | null> {
    const source = this.#options.token;
    if (typeof source === 'function') return source();
    return this.#renewedToken ?? source ?? null;
  }

  #refuse(error: ParleyClientError, token: string | null): void {
    this.#listeners.emit('refused', { error, token });
    this.#shutDown(error);
  }

  #scheduleRetry(): void {
    clearTimeout(this.#retryTimer);
    if (environment.navigator?.onLine === false) return this.#setState('offline');
    this.#setState(this.#everConnected ? 'reconnecting' : 'connecting');
    const { baseMs, maxMs } = this.#options.backoff ?? {};
    const attempt = this.#attempt++;
    const delayMs = reconnectDelay(attempt, Math.random, baseMs, maxMs);
    this.#retryTimer = setTimeout(() => void this.#connect(), delayMs);
    this.#listeners.emit('retry', { attempt, delayMs });
  }

  #keepAlive = (): void => {
    if (Date.now() - this.#lastFrameAt > (this.#options.keepAlive?.silenceMs ?? 45_000)) {
      // A dead TCP connection may take minutes to report its close: let it go now.
      const silent = this.#socket;
      this.#socket = null;
      this.#live = false;
      clearInterval(this.#pingTimer);
      silent?.close(4000, 'no answer to ping');
      this.#scheduleRetry();
      return;
    }
    if (this.#live) this.#sendFrame({ type: 'ping' });
  };

  #wentOffline = (): void => {
    if (!this.#socket && !this.#closed) this.#setState('offline');
  };

  #onVisible = (): void => {
    if (environment.document?.visibilityState === 'visible') this.reconnectNow();
  };

  #sendFrame(frame: ClientFrame): void {
    if (this.#socket?.readyState === openState) this.#socket.send(JSON.stringify(frame));
  }

  #stopTimers(): void {
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#listeners.emit('state', state);
  }
}

/** A server frame, or null for anything that is not a JSON object with a `type`. */
function parseFrame(data: unknown): ServerFrame | null {
  try {
    const frame: unknown = JSON.parse(typeof data === 'string' ? data : String(data));
    return typeof frame === 'object' && frame !== null && typeof (frame as { type?: unknown }).type === 'string' ? (frame as ServerFrame) : null;
  } catch {
    return null;
  }
}
