import type { Attachment, HistoryItem, MessageFrame } from '../protocol/index.js';

/**
 * What a `message` frame asks for once its `regenerate` / `edit_of` is read against the turns
 * the session holds: the text and files to store, and the seq of the user message it replaces.
 */
export type MessageReplacement =
  | { kind: 'none' }
  | {
      kind: 'regenerate' | 'edit';
      replacesSeq: number;
      /** For `regenerate`, the named message's own text and files; for `edit`, the frame's. */
      content: string;
      attachments: Attachment[] | null;
    }
  /** The seq names no user message the session holds: refused as `bad_frame`. */
  | { kind: 'unknown'; message: string };

/**
 * Pure: reads the frame against `history` (the turns held in memory, every branch of them).
 * A seq older than those (the newest 50 turns at least, more when the context budget keeps
 * more) is refused like one that names nothing: the model could not be given the turns before it.
 */
export function messageReplacement(frame: Pick<MessageFrame, 'content' | 'regenerate' | 'edit_of'>, history: readonly HistoryItem[]): MessageReplacement {
  const seq = frame.regenerate ?? frame.edit_of;
  if (seq === undefined) return { kind: 'none' };
  const field = frame.regenerate !== undefined ? 'regenerate' : 'edit_of';
  const target = history.find((item) => item.seq === seq);
  if (target?.type !== 'user_message') {
    const tooOld = history.length > 0 && seq < history[0]!.seq;
    return {
      kind: 'unknown',
      message: tooOld ? `${field}: message ${seq} is older than the turns this session can answer again.` : `${field}: ${seq} is not the seq of a user message of this session.`,
    };
  }
  if (frame.regenerate !== undefined) {
    return { kind: 'regenerate', replacesSeq: seq, content: target.content, attachments: target.attachments ?? [] };
  }
  return { kind: 'edit', replacesSeq: seq, content: frame.content, attachments: null };
}
