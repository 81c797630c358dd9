import { describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../src/protocol/index.js';
import { admission, initialAdmission } from '../../src/sessions/admission.js';
import { messageReplacement } from '../../src/sessions/message-replacement.js';

const at = '2026-11-30T06:00:00.000Z';
const file = { file_id: 'file_1', name: 'a.png', media_type: 'image/png', size: 10 };
const history: HistoryItem[] = [
  { type: 'user_message', content: 'look at this', attachments: [file], seq: 5, created_at: at },
  { type: 'assistant_message', content: 'A picture.', status: 'error', seq: 6, created_at: at },
];

describe('messageReplacement', () => {
  it('is none for a plain message', () => {
    expect(messageReplacement({ content: 'hi' }, history)).toStrictEqual({ kind: 'none' });
  });

  it('takes the text and files of the message it regenerates, whatever the frame says', () => {
    expect(messageReplacement({ content: '', regenerate: 5 }, history)).toStrictEqual({ kind: 'regenerate', replacesSeq: 5, content: 'look at this', attachments: [file] });
  });

  it('keeps the new text of an edit', () => {
    expect(messageReplacement({ content: 'look again', edit_of: 5 }, history)).toStrictEqual({ kind: 'edit', replacesSeq: 5, content: 'look again', attachments: null });
  });

  it('refuses a seq that is an answer, not a user message', () => {
    expect(messageReplacement({ content: '', regenerate: 6 }, history)).toStrictEqual({ kind: 'unknown', message: 'regenerate: 6 is not the seq of a user message of this session.' });
  });

  it('says when a seq is older than the turns the session holds', () => {
    expect(messageReplacement({ content: 'x', edit_of: 2 }, history)).toStrictEqual({ kind: 'unknown', message: 'edit_of: message 2 is older than the turns this session can answer again.' });
  });
});

describe('admission of a regenerated or edited message', () => {
  const base = { type: 'message' as const, lastSeq: 6, maxMessageChars: 100, rateLimit: { allowed: true as const } };

  it('refuses a seq that names nothing as bad_frame', () => {
    const step = admission(initialAdmission(history), { ...base, message: { content: 'x' }, badReplacement: 'edit_of: 9 is not the seq of a user message of this session.' });
    expect(step.decision).toStrictEqual({ type: 'refuse', code: 'bad_frame', message: 'edit_of: 9 is not the seq of a user message of this session.' });
  });

  it('answers a resent id with its ack before looking at what it replaces', () => {
    const state = initialAdmission([{ type: 'user_message', content: 'x', id: 'r1', seq: 7, created_at: at }]);
    const step = admission(state, { ...base, message: { content: 'x', id: 'r1' }, badReplacement: 'gone' });
    expect(step.decision).toStrictEqual({ type: 'ack_again', seq: 7 });
  });

  it('refuses it with turn_in_progress while a turn runs, as any message', () => {
    const running = { ...initialAdmission(history), phase: 'running' as const };
    const step = admission(running, { ...base, message: { content: 'look at this' } });
    expect(step.decision).toMatchObject({ type: 'refuse', code: 'turn_in_progress' });
  });
});
