import type { HistoryItem } from '../protocol/index.js';

/**
 * What a session has decided about messages so far: pure data, changed only by `admission`
 * (events in, state and decision out, no I/O; the session carries decisions out).
 */
export interface AdmissionState {
  /** Ids of the messages stored, with the seq of their ack. */
  readonly acceptedIds: ReadonlyMap<string, number>;
  /**
   * One turn at a time. `idle`: a message may start one. `storing`: a message was accepted and
   * is being stored. `running`: its turn runs, until its `done` is sent.
   */
  readonly phase: 'idle' | 'storing' | 'running';
}

export interface MessageRequest {
  content: string;
  id?: string | undefined;
  interrupt?: boolean | undefined;
}

/** Whether the sender may send one more message now, decided by whoever keeps the count. */
export type RateLimitVerdict =
  | { allowed: true }
  | { allowed: false; code: 'rate_limited' | 'quota_exceeded'; message: string; retryAfterSeconds?: number };

export type AdmissionEvent =
  | {
      type: 'message';
      message: MessageRequest;
      /** The last seq handed out: an accepted message's ack takes the next one. */
      lastSeq: number;
      maxMessageChars: number;
      rateLimit: RateLimitVerdict;
      /** The message comes back after its `interrupt` ended the running turn. */
      afterInterrupt?: boolean;
      /** The seq the log stored this id with, looked up when the id is older than the turns kept in memory. */
      storedSeq?: number | undefined;
      /** Why its `regenerate` / `edit_of` names no message the session holds (message-replacement.ts); absent when fine. */
      badReplacement?: string | undefined;
    }
  | { type: 'stored'; id?: string | undefined; seq: number }
  /** The turns before this seq left memory: their ids are the log's to answer (storedSeq). */
  | { type: 'forget'; beforeSeq: number }
  | { type: 'not_stored' }
  | { type: 'turn_ended' };

export type AdmissionDecision =
  | { type: 'refuse'; code: 'bad_frame' | 'too_large' | 'turn_in_progress' | 'rate_limited' | 'quota_exceeded'; message: string; retryAfterSeconds?: number }
  /** An id already stored: its ack again, with its first seq; nothing runs. */
  | { type: 'ack_again'; seq: number }
  /** Cancel the running turn as interrupted, then bring the message back (`afterInterrupt`). */
  | { type: 'interrupt' }
  /** Store the message, ack it with this seq, run its turn. */
  | { type: 'accept'; seq: number };

export interface AdmissionStep {
  state: AdmissionState;
  /** Only for a `message` event. */
  decision: AdmissionDecision | null;
}

/** A session loaded from its events: the ids it stored, no turn running. */
export function initialAdmission(history: readonly HistoryItem[]): AdmissionState {
  const acceptedIds = new Map<string, number>();
  for (const item of history) {
    if (item.type === 'user_message' && item.id !== undefined) acceptedIds.set(item.id, item.seq);
  }
  return { acceptedIds, phase: 'idle' };
}

/**
 * Where numbering resumes after a load: above the stored events and above the stored seq
 * reservation, which covers every seq a client may have seen before a crash.
 */
export function lastSeqAfterLoad(stored: { lastEventSeq: number; seqReservedThrough: number }): number {
  return Math.max(stored.lastEventSeq, stored.seqReservedThrough);
}

export function admission(state: AdmissionState, event: AdmissionEvent): AdmissionStep {
  switch (event.type) {
    case 'message':
      return admitMessage(state, event);
    case 'stored': {
      if (event.id === undefined) return { state: { ...state, phase: 'running' }, decision: null };
      const acceptedIds = new Map(state.acceptedIds).set(event.id, event.seq);
      return { state: { acceptedIds, phase: 'running' }, decision: null };
    }
    case 'forget': {
      const acceptedIds = new Map([...state.acceptedIds].filter(([, seq]) => seq >= event.beforeSeq));
      return { state: { ...state, acceptedIds }, decision: null };
    }
    case 'not_stored':
    case 'turn_ended':
      return { state: { ...state, phase: 'idle' }, decision: null };
  }
}

/**
 * The order matters: size, then a repeated id (answered even mid-turn), then a replaced seq
 * that names nothing, then one turn at a time, then the rate.
 */
function admitMessage(state: AdmissionState, event: Extract<AdmissionEvent, { type: 'message' }>): AdmissionStep {
  const { message } = event;
  const decide = (decision: AdmissionDecision, next: AdmissionState = state): AdmissionStep => ({ state: next, decision });

  if (message.content.length > event.maxMessageChars) {
    return decide({
      type: 'refuse',
      code: 'too_large',
      message: `The message is ${message.content.length} characters; the limit is ${event.maxMessageChars}.`,
    });
  }
  const firstSeq = message.id === undefined ? undefined : (state.acceptedIds.get(message.id) ?? event.storedSeq);
  if (firstSeq !== undefined) return decide({ type: 'ack_again', seq: firstSeq });
  if (event.badReplacement !== undefined) return decide({ type: 'refuse', code: 'bad_frame', message: event.badReplacement });
  if (state.phase !== 'idle') {
    if (event.afterInterrupt) {
      return decide({ type: 'refuse', code: 'turn_in_progress', message: 'The previous turn is still ending; try again.' });
    }
    if (!message.interrupt || state.phase !== 'running') {
      return decide({
        type: 'refuse',
        code: 'turn_in_progress',
        message: 'A reply is still being written: send cancel first, or set "interrupt": true.',
      });
    }
    return decide({ type: 'interrupt' });
  }
  if (!event.rateLimit.allowed) {
    const { code, message, retryAfterSeconds } = event.rateLimit;
    return decide({ type: 'refuse', code, message, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
  }
  return decide({ type: 'accept', seq: event.lastSeq + 1 }, { ...state, phase: 'storing' });
}
