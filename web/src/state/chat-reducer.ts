import type { AckFrame, Attachment, DoneFrame, ErrorFrame, HistoryItem, ServerFrame, SessionFrame } from '../../../src/protocol/index.js';
import type { AnswerPart, ChatState, ChatTurn, ConnectionStatus, Replaces, TurnError, TurnStatus } from './chat-state.js';
import { lastSeqOf, turnsFromHistory } from './turns-from-history.js';

export type ChatAction =
  | { type: 'frame'; frame: ServerFrame }
  | { type: 'send'; id: string; content: string; attachments?: Attachment[]; queued?: boolean; replaces?: Replaces }
  /** A queued message left the outbox for the server. */
  | { type: 'dequeue'; id: string }
  /** The user chose to retry a message that was not sent. */
  | { type: 'retry'; id: string }
  | { type: 'connection'; status: ConnectionStatus }
  /** The client plans its next reconnect attempt at `at` (epoch ms). */
  | { type: 'retry-planned'; at: number }
  | { type: 'dismiss-notice' }
  /** Older turns are being read through the events API (the page was scrolled to the top). */
  | { type: 'older-loading' }
  /** They came: whole turns before the oldest the page holds; `more`: older ones still exist. */
  | { type: 'older-loaded'; history: HistoryItem[]; more: boolean }
  | { type: 'older-failed' }
  /** The user picked a model in the header: the next message carries it. */
  | { type: 'pick-model'; id: string };

/**
 * The page's whole protocol logic: frames and user actions in, view state out. Pure, so
 * resume, dedupe and ordering are tested without a browser.
 */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'frame':
      return applyFrame(state, action.frame);
    case 'send':
      return {
        ...state,
        turns: [
          ...state.turns,
          {
            key: `local-${action.id}`,
            user: {
              content: action.content,
              id: action.id,
              state: action.queued ? 'queued' : 'pending',
              ...(action.attachments?.length ? { attachments: action.attachments } : {}),
              ...(action.replaces === undefined ? {} : { replaces: action.replaces }),
            },
            parts: [],
            status: 'sending',
          },
        ],
      };
    case 'dequeue':
      return mapTurns(state, (turn) => (turn.user?.id === action.id && turn.user.state === 'queued' ? { ...turn, user: { ...turn.user, state: 'pending' } } : turn));
    case 'retry':
      return mapTurns(state, (turn) =>
        turn.user?.id === action.id && turn.user.state === 'failed'
          ? { key: turn.key, user: { ...turn.user, state: 'pending' }, parts: [], status: 'sending' }
          : turn,
      );
    case 'connection':
      return { ...state, connection: action.status, ...(action.status === 'live' ? { reconnectAt: null } : {}) };
    case 'retry-planned':
      return { ...state, reconnectAt: action.at };
    case 'dismiss-notice':
      return { ...state, notice: null };
    case 'older-loading':
      return { ...state, olderTurns: 'loading' };
    case 'older-loaded':
      return applyOlder(state, action.history, action.more);
    case 'older-failed':
      return { ...state, olderTurns: 'failed' };
    case 'pick-model': {
      const picked = state.models.find((option) => option.id === action.id);
      return picked ? { ...state, model: picked } : state;
    }
  }
}

/** The seq of the oldest turn the server stored that the page holds; undefined when none. */
export function oldestStoredSeq(turns: readonly ChatTurn[]): number | undefined {
  return turns.find((turn) => turn.user?.seq !== undefined)?.user?.seq;
}

/** Turns read while a reconnect replaced the newer ones: only those older than what the page holds go in. */
function applyOlder(state: ChatState, history: readonly HistoryItem[], more: boolean): ChatState {
  const oldest = oldestStoredSeq(state.turns);
  const older = turnsFromHistory(history).filter((turn) => oldest === undefined || (turn.user?.seq ?? Infinity) < oldest);
  return { ...state, turns: [...older, ...state.turns], olderTurns: more ? 'more' : 'none' };
}

function applyFrame(state: ChatState, frame: ServerFrame): ChatState {
  switch (frame.type) {
    case 'session':
      return applySession(state, frame);
    case 'pong':
      return state;
    case 'title':
      return { ...state, title: frame.title };
    case 'error':
      return applyError(state, frame);
    case 'ack':
      if (frame.duplicate) return applyDuplicateAck(state, frame.seq, frame.id);
  }
  // Frames at or below lastSeq were already applied (replayed after a reconnect): dropping
  // them is what keeps resumed text free of duplicates. Seq may jump (coalesced tokens).
  if (frame.seq <= state.lastSeq) return state;
  const next = { ...state, lastSeq: frame.seq };
  switch (frame.type) {
    case 'ack': {
      const acked = applyAck(next, frame);
      return frame.replaces_seq === undefined ? acked : dropReplaced(acked, frame.replaces_seq, frame.seq);
    }
    case 'token':
      return updateStreamingTurn(next, frame.seq, (turn) => ({ ...turn, parts: appendText(turn.parts, frame.content) }));
    case 'tool_call':
      return updateStreamingTurn(next, frame.seq, (turn) => ({
        ...turn,
        parts: [...turn.parts, { kind: 'tool', callId: frame.call_id, name: frame.name, arguments: frame.arguments, finished: false }],
      }));
    case 'tool_result':
      return updateStreamingTurn(next, frame.seq, (turn) => {
        const outcome = {
          finished: true,
          ...('result' in frame ? { result: frame.result } : {}),
          ...(frame.error === undefined ? {} : { error: frame.error }),
          durationMs: frame.duration_ms,
        };
        const known = turn.parts.some((part) => part.kind === 'tool' && part.callId === frame.call_id);
        const parts: AnswerPart[] = known
          ? turn.parts.map((part) => (part.kind === 'tool' && part.callId === frame.call_id ? { ...part, ...outcome } : part))
          : [...turn.parts, { kind: 'tool', callId: frame.call_id, name: frame.name, arguments: {}, ...outcome }];
        return { ...turn, parts };
      });
    case 'done':
      return { ...updateStreamingTurn(next, frame.seq, (turn) => finishTurn(turn, frame)), turnInProgress: false };
  }
}

/** A stored message: this page's pending one, or a new turn (another tab's, or replayed). `state` has its lastSeq already. */
function applyAck(state: ChatState, frame: AckFrame): ChatState {
  const index = frame.id === undefined ? -1 : state.turns.findIndex((turn) => turn.user !== null && turn.user.id === frame.id && turn.user.state !== 'stored');
  if (index >= 0) {
    return {
      ...replaceTurn(state, index, (turn) => ({ ...turn, user: { ...turn.user!, state: 'stored', seq: frame.seq }, status: 'streaming' })),
      turnInProgress: true,
    };
  }
  // Another tab's message, or a turn replayed to a page that had not seen it.
  const turn: ChatTurn = {
    key: `seq-${frame.seq}`,
    user: {
      content: frame.content ?? '',
      seq: frame.seq,
      state: 'stored',
      ...(frame.id === undefined ? {} : { id: frame.id }),
      ...(frame.attachments?.length ? { attachments: frame.attachments } : {}),
    },
    parts: [],
    status: 'streaming',
  };
  return { ...state, turns: [...state.turns, turn], turnInProgress: true };
}

/**
 * A regenerated or edited message was stored: the turn it replaces and every turn after it
 * leave the page (the newest branch wins, as `activeHistory` decides for the history), all
 * but the new turn and messages not stored yet.
 */
function dropReplaced(state: ChatState, replacesSeq: number, ackSeq: number): ChatState {
  const cut = state.turns.findIndex((turn) => turn.user?.state === 'stored' && turn.user.seq !== undefined && turn.user.seq >= replacesSeq && turn.user.seq !== ackSeq);
  if (cut < 0) return state;
  const turns = state.turns.filter((turn, index) => index < cut || turn.user?.seq === ackSeq || turn.user?.state === 'pending' || turn.user?.state === 'failed');
  return { ...state, turns };
}

/**
 * A (re)connection. Completed turns come from history (the newest of them, when the frame
 * says `more_history`); what this page holds past the history (the turn in progress, up to
 * lastSeq) stays, and the replayed frames after lastSeq continue it; so do older turns it
 * read before the history's first. Messages not acked yet stay pending (the controller
 * resends them).
 */
function applySession(state: ChatState, frame: SessionFrame): ChatState {
  const history = frame.history ?? [];
  const historyTurns = turnsFromHistory(history);
  const historySeq = lastSeqOf(history);
  const firstSeq = history[0]?.seq;
  const storedIds = new Set(history.flatMap((item) => (item.type === 'user_message' && item.id !== undefined ? [item.id] : [])));
  // The server knows less than this page did (a new session under this id): start over.
  const serverForgot = frame.last_seq < state.lastSeq;
  // Older turns this page read (scrolled up) stay when the history now starts after them.
  const isOlder = (startSeq: number) => frame.more_history === true && firstSeq !== undefined && startSeq < firstSeq;
  const kept = state.turns.filter((turn) => {
    if (turn.user?.id !== undefined && storedIds.has(turn.user.id)) return false;
    if (turn.user?.state === 'pending' || turn.user?.state === 'queued' || turn.user?.state === 'failed') return true;
    if (serverForgot) return false;
    const startSeq = turn.user?.seq;
    return startSeq !== undefined && (startSeq > historySeq || isOlder(startSeq));
  });
  const older = kept.filter((turn) => turn.user?.state === 'stored' && isOlder(turn.user.seq!));
  const newer = kept.filter((turn) => !older.includes(turn));
  const olderTurns = older.length > 0 || state.olderTurns === 'loading' ? state.olderTurns : frame.more_history ? 'more' : 'none';
  const turns = [...older, ...historyTurns, ...newer].map((turn) =>
    !frame.turn_in_progress && turn.status === 'streaming' ? { ...turn, status: 'interrupted' as const } : turn,
  );
  return {
    ...state,
    connection: 'live',
    loaded: true,
    model: frame.model,
    models: (frame.models ?? []).map(({ id, provider, model }) => ({ id, provider, model })),
    turns,
    lastSeq: serverForgot ? historySeq : Math.max(state.lastSeq, historySeq),
    turnInProgress: frame.turn_in_progress,
    olderTurns,
    notice: state.notice !== null && goneOnReconnect.has(state.notice.code) ? null : state.notice,
  };
}

/** Notices about the connection that a new `session` frame answers: the page got back in (with a renewed token, for `unauthorized`). */
const goneOnReconnect = new Set(['shutting_down', 'slow_consumer', 'unauthorized']);

/** The message was accepted before (a resend after a reconnect): it must not show twice. */
function applyDuplicateAck(state: ChatState, seq: number, id: string | undefined): ChatState {
  if (id === undefined) return state;
  const pendingIndex = state.turns.findIndex((turn) => turn.user?.id === id && turn.user.state !== 'stored');
  if (pendingIndex < 0) return state;
  const alreadyShown = state.turns.some((turn, index) => index !== pendingIndex && turn.user?.seq === seq);
  if (alreadyShown) return { ...state, turns: state.turns.filter((_turn, index) => index !== pendingIndex) };
  return replaceTurn(state, pendingIndex, (turn) => ({
    ...turn,
    user: { ...turn.user!, state: 'stored', seq },
    status: state.turnInProgress ? 'streaming' : 'complete',
  }));
}

function applyError(state: ChatState, frame: ErrorFrame): ChatState {
  const error: TurnError = { code: frame.code, message: frame.message, ...(frame.retry_after_s === undefined ? {} : { retryAfterS: frame.retry_after_s }) };
  const next = frame.seq === undefined ? state : { ...state, lastSeq: Math.max(state.lastSeq, frame.seq) };
  if (frame.seq !== undefined && frame.seq <= state.lastSeq) return state;
  // An error answering one of our messages: that message was not sent (or not stored).
  const pendingIndex = frame.id === undefined ? -1 : state.turns.findIndex((turn) => turn.user !== null && turn.user.id === frame.id && turn.user.state === 'pending');
  if (pendingIndex >= 0) {
    return replaceTurn(next, pendingIndex, (turn) => ({ ...turn, user: { ...turn.user!, state: 'failed' }, status: 'not-sent', error }));
  }
  if (frame.seq !== undefined) {
    const streamingIndex = findStreamingIndex(state.turns);
    if (streamingIndex >= 0) return replaceTurn(next, streamingIndex, (turn) => ({ ...turn, error }));
  }
  return { ...next, notice: { ...error, recoverable: frame.recoverable } };
}

function finishTurn(turn: ChatTurn, frame: DoneFrame): ChatTurn {
  const measures = {
    finishReason: frame.finish_reason,
    ...(frame.ttft_ms === undefined ? {} : { ttftMs: frame.ttft_ms }),
    ...(frame.duration_ms === undefined ? {} : { durationMs: frame.duration_ms }),
    ...(frame.usage?.prompt_tokens === undefined ? {} : { promptTokens: frame.usage.prompt_tokens }),
    ...(frame.usage?.completion_tokens === undefined ? {} : { completionTokens: frame.usage.completion_tokens }),
  };
  return {
    ...turn,
    status: statusForFinish(frame.finish_reason),
    parts: turn.parts.map((part) => (part.kind === 'tool' && !part.finished ? { ...part, finished: true } : part)),
    measures,
    ...(frame.model === undefined ? {} : { model: frame.model }),
  };
}

function statusForFinish(reason: DoneFrame['finish_reason']): TurnStatus {
  switch (reason) {
    case 'cancelled':
      return 'cancelled';
    case 'interrupted':
      return 'interrupted';
    case 'error':
      return 'error';
    default:
      return 'complete';
  }
}

/** Applies a frame of the running turn; a page that missed its ack still shows the answer. */
function updateStreamingTurn(state: ChatState, seq: number, update: (turn: ChatTurn) => ChatTurn): ChatState {
  const index = findStreamingIndex(state.turns);
  if (index >= 0) return replaceTurn(state, index, update);
  const orphan: ChatTurn = { key: `seq-${seq}`, user: null, parts: [], status: 'streaming' };
  return { ...state, turns: [...state.turns, update(orphan)] };
}

function findStreamingIndex(turns: readonly ChatTurn[]): number {
  return turns.findLastIndex((turn) => turn.status === 'streaming');
}

function appendText(parts: readonly AnswerPart[], content: string): AnswerPart[] {
  const last = parts.at(-1);
  if (last?.kind === 'text') return [...parts.slice(0, -1), { kind: 'text', content: last.content + content }];
  return [...parts, { kind: 'text', content }];
}

function replaceTurn(state: ChatState, index: number, update: (turn: ChatTurn) => ChatTurn): ChatState {
  return { ...state, turns: state.turns.map((turn, position) => (position === index ? update(turn) : turn)) };
}

function mapTurns(state: ChatState, update: (turn: ChatTurn) => ChatTurn): ChatState {
  return { ...state, turns: state.turns.map(update) };
}
