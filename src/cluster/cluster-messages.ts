import type { ClientFrame } from '../protocol/index.js';

/**
 * What instances tell each other on an instance's own channel (JSON). The owner of a session
 * gets follow requests, heartbeats and forwarded client frames; a follower gets welcomes and
 * the replies meant for one of its sockets.
 */
export type InstanceMessage =
  | {
      t: 'follow';
      session: string;
      from: string;
      req: string;
      /** The socket's `?after=`, or the last seq it got when it follows a new owner. */
      after: number | null;
      resumed: boolean;
      /** Following a new owner: no `session` frame, only what came after `after`. */
      quiet: boolean;
    }
  | {
      t: 'welcome';
      session: string;
      req: string;
      /** Null: the instance asked does not run the session (any more). */
      sessionFrame: string | null;
      notOwner?: true;
      /** Frames in the turn's stream above this seq are the socket's to replay; null: none. */
      replayAfter: number | null;
      turnInProgress: boolean;
      /** The last frame the owner mirrored when it answered. */
      through: { seq: number; k: number };
    }
  | { t: 'beat'; from: string; sessions: string[] }
  | { t: 'unfollow'; session: string; from: string }
  | { t: 'frame'; session: string; from: string; socket: string; frame: ClientFrame; account: string | null }
  | { t: 'reply'; session: string; socket: string; serialized: string }
  /** A due finalization another instance claimed, for the owner to run. */
  | { t: 'finalize'; session: string };

export function encodeInstanceMessage(message: InstanceMessage): string {
  return JSON.stringify(message);
}

export function decodeInstanceMessage(text: string): InstanceMessage | null {
  try {
    const parsed = JSON.parse(text) as { t?: unknown };
    return typeof parsed === 'object' && parsed !== null && typeof parsed.t === 'string' ? (parsed as InstanceMessage) : null;
  } catch {
    return null;
  }
}

/**
 * A mirrored frame: `<seq> <k> <sent at ms> <frame JSON>`. `k` orders the rare
 * frames that share a seq (an error about an earlier event); `seq-k` is also its stream id.
 * Plain text so the frame's JSON, serialized once by the owner, is never parsed to be passed on.
 */
export interface MirroredFrame {
  seq: number;
  k: number;
  sentAt: number;
  serialized: string;
}

/**
 * Every frame one owner mirrored to one follower instance in one event-loop turn, as one
 * message on that instance's channel: `F`, then a line per frame, `<session id> <frame>`.
 * JSON text holds no raw newline and session ids no space, so neither needs escaping.
 */
export const frameBundleMark = 'F\n';

export function encodeFrameBundle(records: readonly string[]): string {
  return frameBundleMark + records.join('\n');
}

export function frameRecord(sessionId: string, frame: MirroredFrame): string {
  return `${sessionId} ${encodeMirroredFrame(frame)}`;
}

export function decodeFrameBundle(text: string): Array<{ sessionId: string; frame: MirroredFrame }> {
  const frames: Array<{ sessionId: string; frame: MirroredFrame }> = [];
  for (const line of text.slice(frameBundleMark.length).split('\n')) {
    const space = line.indexOf(' ');
    const frame = space > 0 ? decodeMirroredFrame(line.slice(space + 1)) : null;
    if (frame) frames.push({ sessionId: line.slice(0, space), frame });
  }
  return frames;
}

/** The owner gave the session up (shutdown, finalized): followers claim it. */
export const releasedNotice = 'x';

export function encodeMirroredFrame(frame: MirroredFrame): string {
  return `${frame.seq} ${frame.k} ${frame.sentAt} ${frame.serialized}`;
}

export function decodeMirroredFrame(text: string): MirroredFrame | null {
  const match = /^(\d+) (\d+) (\d+) /.exec(text);
  if (!match) return null;
  return { seq: Number(match[1]), k: Number(match[2]), sentAt: Number(match[3]), serialized: text.slice(match[0].length) };
}

/** Whether frame a comes after frame b in a session's order. */
export function isAfter(a: { seq: number; k: number }, b: { seq: number; k: number }): boolean {
  return a.seq > b.seq || (a.seq === b.seq && a.k > b.k);
}

export function streamId(frame: { seq: number; k: number }): string {
  return `${frame.seq}-${frame.k}`;
}

export function parseStreamId(id: string): { seq: number; k: number } {
  const [seq, k] = id.split('-');
  return { seq: Number(seq), k: Number(k) };
}
