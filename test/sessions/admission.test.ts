import { describe, expect, it } from 'vitest';
import {
  admission,
  initialAdmission,
  lastSeqAfterLoad,
  type AdmissionEvent,
  type AdmissionState,
  type MessageRequest,
  type RateLimitVerdict,
} from '../../src/sessions/admission.js';
import type { HistoryItem } from '../../src/protocol/index.js';

const created_at = '2026-01-01T00:00:00.000Z';
const idle = initialAdmission([]);
const within: RateLimitVerdict = { allowed: true };

function message(
  content: string,
  extra: Partial<MessageRequest> = {},
  context: Partial<Omit<Extract<AdmissionEvent, { type: 'message' }>, 'type' | 'message'>> = {},
): AdmissionEvent {
  return { type: 'message', message: { content, ...extra }, lastSeq: 10, maxMessageChars: 100, rateLimit: within, ...context };
}

/** Runs events in order and returns the state after them and the decision of each. */
function run(state: AdmissionState, ...events: AdmissionEvent[]) {
  const decisions = [];
  for (const event of events) {
    const step = admission(state, event);
    state = step.state;
    decisions.push(step.decision);
  }
  return { state, decisions };
}

describe('admitting a message', () => {
  it('accepts a message when no turn runs, acking it with the seq after the last one', () => {
    const { state, decisions } = run(idle, message('hello', { id: 'm1' }, { lastSeq: 41 }));
    expect(decisions).toStrictEqual([{ type: 'accept', seq: 42 }]);
    expect(state.phase).toBe('storing');
  });

  it('remembers an id once its message is stored, and acks it again with its first seq, even mid-turn', () => {
    const { state, decisions } = run(
      idle,
      message('hello', { id: 'm1' }),
      { type: 'stored', id: 'm1', seq: 11 },
      message('hello', { id: 'm1' }, { lastSeq: 30 }),
    );
    expect(decisions).toStrictEqual([{ type: 'accept', seq: 11 }, null, { type: 'ack_again', seq: 11 }]);
    expect(state.phase).toBe('running');
  });

  it('forgets a message that could not be stored, so the same id runs when sent again', () => {
    const { decisions } = run(idle, message('hello', { id: 'm1' }), { type: 'not_stored' }, message('hello', { id: 'm1' }));
    expect(decisions).toStrictEqual([{ type: 'accept', seq: 11 }, null, { type: 'accept', seq: 11 }]);
  });

  it('knows the ids of a session loaded from its events', () => {
    const history: HistoryItem[] = [
      { type: 'user_message', content: 'hi', id: 'old-1', seq: 1, created_at },
      { type: 'assistant_message', content: 'Hello!', status: 'complete', seq: 5, created_at },
      { type: 'user_message', content: 'no id', seq: 6, created_at },
    ];
    expect(run(initialAdmission(history), message('hi', { id: 'old-1' })).decisions).toStrictEqual([{ type: 'ack_again', seq: 1 }]);
  });

  it('forgets the ids of turns that left memory, and acks one again with the seq the log found for it', () => {
    const history: HistoryItem[] = [
      { type: 'user_message', content: 'old', id: 'old-1', seq: 1, created_at },
      { type: 'user_message', content: 'recent', id: 'recent-1', seq: 7, created_at },
    ];
    const { state } = run(initialAdmission(history), { type: 'forget', beforeSeq: 7 });
    expect([...state.acceptedIds]).toStrictEqual([['recent-1', 7]]);
    expect(run(state, message('old', { id: 'old-1' }, { storedSeq: 1 })).decisions).toStrictEqual([{ type: 'ack_again', seq: 1 }]);
    expect(run(state, message('new', { id: 'new-1' })).decisions).toStrictEqual([{ type: 'accept', seq: 11 }]);
  });

  it('refuses content over the limit with too_large before anything else, even a known id', () => {
    const { state, decisions } = run(idle, message('x'.repeat(101), { id: 'm1' }));
    expect(decisions).toStrictEqual([{ type: 'refuse', code: 'too_large', message: 'The message is 101 characters; the limit is 100.' }]);
    expect(state).toBe(idle);
  });

  it('refuses a second message while a turn runs with turn_in_progress', () => {
    const running = run(idle, message('first'), { type: 'stored', seq: 11 }).state;
    const { decisions } = run(running, message('second', { id: 'm2' }));
    expect(decisions).toStrictEqual([
      { type: 'refuse', code: 'turn_in_progress', message: 'A reply is still being written: send cancel first, or set "interrupt": true.' },
    ]);
  });

  it('asks to interrupt the running turn for a message with interrupt: true, then accepts it once the turn ended', () => {
    const running = run(idle, message('first'), { type: 'stored', seq: 11 }).state;
    const { state, decisions } = run(
      running,
      message('second', { interrupt: true }, { lastSeq: 20 }),
      { type: 'turn_ended' },
      message('second', { interrupt: true }, { lastSeq: 21, afterInterrupt: true }),
    );
    expect(decisions).toStrictEqual([{ type: 'interrupt' }, null, { type: 'accept', seq: 22 }]);
    expect(state.phase).toBe('storing');
  });

  it('cannot interrupt a message still being stored: its turn has not started', () => {
    const storing = run(idle, message('first')).state;
    expect(run(storing, message('second', { interrupt: true })).decisions[0]).toMatchObject({ type: 'refuse', code: 'turn_in_progress' });
  });

  it('refuses the interrupting message if the interrupted turn has still not ended', () => {
    const running = run(idle, message('first'), { type: 'stored', seq: 11 }).state;
    expect(run(running, message('second', { interrupt: true }, { afterInterrupt: true })).decisions).toStrictEqual([
      { type: 'refuse', code: 'turn_in_progress', message: 'The previous turn is still ending; try again.' },
    ]);
  });

  it('refuses with rate_limited past the rate limit, but still acks a known id', () => {
    const limited: RateLimitVerdict = { allowed: false, code: 'rate_limited', message: 'More than 2 messages a minute; wait 12 s.', retryAfterSeconds: 12 };
    const stored = run(idle, message('hello', { id: 'm1' }), { type: 'stored', id: 'm1', seq: 11 }, { type: 'turn_ended' }).state;
    const { decisions } = run(stored, message('again', { id: 'm2' }, { rateLimit: limited }), message('hello', { id: 'm1' }, { rateLimit: limited }));
    expect(decisions).toStrictEqual([
      { type: 'refuse', code: 'rate_limited', message: 'More than 2 messages a minute; wait 12 s.', retryAfterSeconds: 12 },
      { type: 'ack_again', seq: 11 },
    ]);
  });

  it("refuses with quota_exceeded when the day's model tokens are used up, saying when they renew", () => {
    const exhausted: RateLimitVerdict = { allowed: false, code: 'quota_exceeded', message: 'Today\'s quota is used up.', retryAfterSeconds: 3600 };
    const { decisions } = run(idle, message('hello', {}, { rateLimit: exhausted }));
    expect(decisions).toStrictEqual([{ type: 'refuse', code: 'quota_exceeded', message: 'Today\'s quota is used up.', retryAfterSeconds: 3600 }]);
  });

  it('takes messages again once the turn ended', () => {
    const { decisions } = run(idle, message('first'), { type: 'stored', seq: 11 }, { type: 'turn_ended' }, message('second', {}, { lastSeq: 30 }));
    expect(decisions.at(-1)).toStrictEqual({ type: 'accept', seq: 31 });
  });
});

describe('numbering after a load', () => {
  it('resumes above the stored events and above the stored seq reservation, whichever is higher', () => {
    expect(lastSeqAfterLoad({ lastEventSeq: 8, seqReservedThrough: 1001 })).toBe(1001);
    expect(lastSeqAfterLoad({ lastEventSeq: 1002, seqReservedThrough: 1001 })).toBe(1002);
    expect(lastSeqAfterLoad({ lastEventSeq: 0, seqReservedThrough: 0 })).toBe(0);
  });
});
