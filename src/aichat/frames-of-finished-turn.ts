import type { FinishReason, HistoryItem, SequencedFrame, TurnStatus } from '../protocol/index.js';

const finishReasonOf: Record<TurnStatus, FinishReason> = {
  complete: 'stop',
  cancelled: 'cancelled',
  error: 'error',
  interrupted: 'interrupted',
};

/**
 * The frames of a finished turn, rebuilt from the session's history (its `session` frame), for
 * a request repeating a message that already ran: it gets that answer again instead of a second
 * run. The answer's text comes after its tools, as the log keeps it; the seqs are only
 * there to satisfy the frame types. Null when the turn is no
 * longer in the history the session keeps in memory.
 */
export function framesOfFinishedTurn(history: readonly HistoryItem[], ackSeq: number): SequencedFrame[] | null {
  const start = history.findIndex((item) => item.type === 'user_message' && item.seq === ackSeq);
  if (start < 0) return null;
  const frames: SequencedFrame[] = [{ type: 'ack', seq: ackSeq }];
  for (const item of history.slice(start + 1)) {
    if (item.type === 'user_message') break;
    switch (item.type) {
      case 'tool_call':
        frames.push({ type: 'tool_call', seq: item.seq, call_id: item.call_id, name: item.name, arguments: isObject(item.arguments) ? item.arguments : {} });
        break;
      case 'tool_result':
        frames.push({
          type: 'tool_result',
          seq: item.seq,
          call_id: item.call_id,
          name: item.name,
          ...(item.error === undefined ? { result: item.result } : { error: item.error }),
          duration_ms: item.duration_ms ?? 0,
        });
        break;
      case 'assistant_message':
        frames.push({ type: 'token', seq: item.seq, content: item.content }, { type: 'done', seq: item.seq, finish_reason: finishReasonOf[item.status] });
        return frames;
    }
  }
  // A turn whose answer was never stored (the database refused it) still ends.
  frames.push({ type: 'done', seq: ackSeq, finish_reason: 'other' });
  return frames;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
