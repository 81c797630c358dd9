import type { UIMessageChunk } from 'ai';
import type { FinishReason, ServerFrame } from '../protocol/index.js';

/** Where one turn's UI message stream stands; changed only by `uiChunksOfFrame`. */
export interface UiStreamState {
  /** The answer's message id once its turn's ack was seen; frames before that belong to no answer here. */
  readonly messageId: string | null;
  /** The id of the text part being written, if one is open. */
  readonly openText: string | null;
  readonly textParts: number;
  /** Tool results came last: whatever the model says next is a new step. */
  readonly stepEnded: boolean;
  readonly finished: boolean;
}

export const initialUiStreamState: UiStreamState = { messageId: null, openText: null, textParts: 0, stepEnded: false, finished: false };

/**
 * The assistant message's id, from the seq of its turn's ack: the same on every instance and
 * on a replay, so a client resuming a stream gets the message it already shows, not a second one.
 */
export function answerMessageId(ackSeq: number): string {
  return `answer-${ackSeq}`;
}

const finishReasons: Record<Exclude<FinishReason, 'cancelled' | 'interrupted'>, 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other'> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  tool_calls: 'tool-calls',
  error: 'error',
  other: 'other',
};

/**
 * One Parley frame of a turn in, the AI SDK UI message stream chunks it becomes out (no I/O).
 * The turn's ack starts the message, tokens become text parts, tools become dynamic tool
 * parts (Parley runs them; the client declares none), a turn error becomes an `error` chunk,
 * and `done` finishes the message, or aborts it when the turn was cancelled or interrupted.
 */
export function uiChunksOfFrame(state: UiStreamState, frame: ServerFrame): { state: UiStreamState; chunks: UIMessageChunk[] } {
  if (state.finished) return { state, chunks: [] };
  if (state.messageId === null) {
    if (frame.type !== 'ack') return { state, chunks: [] };
    const messageId = answerMessageId(frame.seq);
    return { state: { ...state, messageId }, chunks: [{ type: 'start', messageId }, { type: 'start-step' }] };
  }
  const chunks: UIMessageChunk[] = [];
  let next = state;
  const closeText = () => {
    if (next.openText === null) return;
    chunks.push({ type: 'text-end', id: next.openText });
    next = { ...next, openText: null };
  };
  const newStepIfDue = () => {
    if (!next.stepEnded) return;
    closeText();
    chunks.push({ type: 'finish-step' }, { type: 'start-step' });
    next = { ...next, stepEnded: false };
  };
  switch (frame.type) {
    case 'token': {
      if (frame.content === '') break;
      newStepIfDue();
      if (next.openText === null) {
        const id = `text-${next.textParts}`;
        chunks.push({ type: 'text-start', id });
        next = { ...next, openText: id, textParts: next.textParts + 1 };
      }
      chunks.push({ type: 'text-delta', id: next.openText as string, delta: frame.content });
      break;
    }
    case 'tool_call':
      newStepIfDue();
      closeText();
      chunks.push({ type: 'tool-input-available', toolCallId: frame.call_id, toolName: frame.name, input: frame.arguments, dynamic: true });
      break;
    case 'tool_result':
      closeText();
      chunks.push(
        frame.error === undefined
          ? { type: 'tool-output-available', toolCallId: frame.call_id, output: frame.result ?? null, dynamic: true }
          : { type: 'tool-output-error', toolCallId: frame.call_id, errorText: frame.error, dynamic: true },
      );
      next = { ...next, stepEnded: true };
      break;
    case 'error':
      // Frame-level errors (no seq) answer one client's frame, not the turn.
      if (frame.seq === undefined) break;
      closeText();
      chunks.push({ type: 'error', errorText: `${frame.code}: ${frame.message}` });
      break;
    case 'done': {
      closeText();
      chunks.push({ type: 'finish-step' });
      const reason = frame.finish_reason;
      chunks.push(reason === 'cancelled' || reason === 'interrupted' ? { type: 'abort', reason } : { type: 'finish', finishReason: finishReasons[reason] });
      next = { ...next, finished: true };
      break;
    }
    default:
      break;
  }
  return { state: next, chunks };
}
