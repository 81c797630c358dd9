import type { Attachment, FinishReason } from '../../../src/protocol/index.js';

/** What the user sees of the connection; `offline` is the browser saying it has no network. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface UserMessage {
  content: string;
  /** The files the message carries, as uploaded. */
  attachments?: Attachment[];
  /** The client id sent with the message, so its ack (or error) finds it again. */
  id?: string;
  /** The ack's seq once the server stored the message. */
  seq?: number;
  /**
   * `queued`: in the page's outbox, waiting for the connection or for the turn before it
   * (web/src/connection/outbox.ts); `pending`: sent and not acked yet.
   */
  state: 'queued' | 'pending' | 'stored' | 'failed';
  /** A regenerated or edited message: which message it replaces (sent again as such on Retry). */
  replaces?: Replaces;
}

/** `regenerate`: the message of `seq` asked again; `edit`: a new text for it. */
export interface Replaces {
  kind: 'regenerate' | 'edit';
  seq: number;
}

export interface TextPart {
  kind: 'text';
  content: string;
}

export interface ToolPart {
  kind: 'tool';
  callId: string;
  name: string;
  arguments: unknown;
  result?: unknown;
  error?: string;
  durationMs?: number;
  /** False while the tool runs. */
  finished: boolean;
}

export type AnswerPart = TextPart | ToolPart;

/** `sending`: the user message awaits its ack; `streaming`: the answer is being written. */
export type TurnStatus = 'sending' | 'streaming' | 'complete' | 'cancelled' | 'interrupted' | 'error' | 'not-sent';

export interface TurnError {
  code: string;
  message: string;
  /** `rate_limited`, `quota_exceeded`: seconds until the user may send again. */
  retryAfterS?: number;
  /** Read from history, not just happened: shown, but not announced as an alert. */
  past?: boolean;
}

export interface TurnMeasures {
  ttftMs?: number;
  durationMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  finishReason?: FinishReason;
}

/** One exchange: the user's message (absent for a turn seen only from its answer) and the answer's parts. */
export interface ChatTurn {
  /** Stable across ack and resume, for rendering. */
  key: string;
  user: UserMessage | null;
  parts: AnswerPart[];
  status: TurnStatus;
  error?: TurnError;
  measures?: TurnMeasures;
  /** The model that answered (the `done` frame, or the history after a reload). */
  model?: string;
}

/** A model the session may pick (the `session` frame's `models`). */
export interface ModelOption {
  id: string;
  provider: string;
  model: string;
}

/** An error not about a turn (a refused frame, the server going away). */
export interface Notice extends TurnError {
  recoverable: boolean;
}

export interface ChatState {
  sessionId: string;
  connection: ConnectionStatus;
  /** Which model answers, from the `session` frame. */
  model: { provider: string; model: string; id?: string } | null;
  /** The models the user may pick, the default first; the picker shows when there is more than one. */
  models: ModelOption[];
  /** False until the first `session` frame: the page shows it is loading the conversation. */
  loaded: boolean;
  turns: ChatTurn[];
  /** The highest seq this page has applied; -1 before any. Reconnects send it as `after`. */
  lastSeq: number;
  turnInProgress: boolean;
  notice: Notice | null;
  /**
   * Turns older than the page holds: `none`, `more` (the server has some: read them through
   * the events API), `loading`, or `failed` (the page offers to try again).
   */
  olderTurns: OlderTurns;
  /** When the client tries to reconnect next (epoch ms), while the connection is down. */
  reconnectAt: number | null;
  /** The session's title from its last `title` frame; null until one comes (the page reads it from the REST API before). */
  title: string | null;
}

export type OlderTurns = 'none' | 'more' | 'loading' | 'failed';

export function initialChatState(sessionId: string): ChatState {
  return {
    sessionId,
    connection: 'connecting',
    model: null,
    models: [],
    loaded: false,
    turns: [],
    lastSeq: -1,
    turnInProgress: false,
    notice: null,
    olderTurns: 'none',
    title: null,
    reconnectAt: null,
  };
}
