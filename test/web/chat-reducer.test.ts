import { describe, expect, it } from 'vitest';
import type { HistoryItem, ServerFrame } from '../../src/protocol/index.js';
import { chatReducer, type ChatAction } from '../../web/src/state/chat-reducer.js';
import { initialChatState, type ChatState } from '../../web/src/state/chat-state.js';

const model = { provider: 'offline', model: 'parley-offline' };
const at = '2025-01-01T00:00:00.000Z';

function session(extra: Partial<Extract<ServerFrame, { type: 'session' }>> = {}): ServerFrame {
  return { type: 'session', session_id: 's1', resumed: false, last_seq: 0, model, turn_in_progress: false, ...extra };
}

function run(actions: ChatAction[], state: ChatState = initialChatState('s1')): ChatState {
  return actions.reduce(chatReducer, state);
}

const frames = (...list: ServerFrame[]): ChatAction[] => list.map((frame) => ({ type: 'frame', frame }));

/** The answer as a reader sees it: text parts joined. */
function answerText(state: ChatState, index: number): string {
  return state.turns[index]!.parts.map((part) => (part.kind === 'text' ? part.content : '')).join('');
}

describe('the chat reducer', () => {
  it('turns a sent message, its ack, tokens, a tool call and done into one finished turn', () => {
    const state = run([
      ...frames(session()),
      { type: 'send', id: 'm1', content: 'What is 2+2?' },
      ...frames(
        { type: 'ack', seq: 1, id: 'm1', content: 'What is 2+2?' },
        { type: 'tool_call', seq: 2, call_id: 'c1', name: 'calculator', arguments: { expression: '2+2' } },
        { type: 'tool_result', seq: 3, call_id: 'c1', name: 'calculator', result: 4, duration_ms: 1.5 },
        { type: 'token', seq: 4, content: '2+2 ' },
        { type: 'token', seq: 7, content: '= 4.' },
        { type: 'done', seq: 8, finish_reason: 'stop', ttft_ms: 12, duration_ms: 40, usage: { prompt_tokens: 10, completion_tokens: 5 } },
      ),
    ]);
    expect(state.turns).toStrictEqual([
      {
        key: 'local-m1',
        user: { content: 'What is 2+2?', id: 'm1', state: 'stored', seq: 1 },
        parts: [
          { kind: 'tool', callId: 'c1', name: 'calculator', arguments: { expression: '2+2' }, finished: true, result: 4, durationMs: 1.5 },
          { kind: 'text', content: '2+2 = 4.' },
        ],
        status: 'complete',
        measures: { finishReason: 'stop', ttftMs: 12, durationMs: 40, promptTokens: 10, completionTokens: 5 },
      },
    ]);
    expect(state.lastSeq).toBe(8);
    expect(state.turnInProgress).toBe(false);
  });

  it('shows a running tool as running until its result arrives', () => {
    const state = run([
      ...frames(session(), { type: 'ack', seq: 1, content: 'hi' }, { type: 'tool_call', seq: 2, call_id: 'c1', name: 'fetch_data', arguments: { query: 'Tokyo' } }),
    ]);
    expect(state.turns[0]!.parts).toStrictEqual([{ kind: 'tool', callId: 'c1', name: 'fetch_data', arguments: { query: 'Tokyo' }, finished: false }]);
    expect(state.turns[0]!.status).toBe('streaming');
  });

  it('keeps the partial answer of a stopped turn and marks it stopped', () => {
    const state = run([
      ...frames(session(), { type: 'ack', seq: 1, content: 'tell me' }, { type: 'token', seq: 2, content: 'Once upon' }, { type: 'done', seq: 3, finish_reason: 'cancelled' }),
    ]);
    expect(answerText(state, 0)).toBe('Once upon');
    expect(state.turns[0]!.status).toBe('cancelled');
  });

  it('resumes after a reconnect without losing or repeating text, even when replay overlaps what was seen', () => {
    const before = run([
      ...frames(session(), { type: 'ack', seq: 1, content: 'first' }, { type: 'token', seq: 2, content: 'One' }, { type: 'done', seq: 3, finish_reason: 'stop' }),
      ...frames({ type: 'ack', seq: 4, content: 'second' }, { type: 'token', seq: 5, content: 'Hello ' }, { type: 'token', seq: 6, content: 'wor' }),
    ]);
    expect(before.lastSeq).toBe(6);
    const history: HistoryItem[] = [
      { type: 'user_message', content: 'first', seq: 1, created_at: at },
      { type: 'assistant_message', content: 'One', status: 'complete', seq: 3, created_at: at },
    ];
    const after = run(
      [
        { type: 'connection', status: 'reconnecting' },
        ...frames(
          session({ resumed: true, last_seq: 8, history, turn_in_progress: true }),
          // A frame the page already has (a server replaying from an older seq) changes nothing.
          { type: 'token', seq: 6, content: 'wor' },
          { type: 'token', seq: 7, content: 'ld' },
          { type: 'done', seq: 8, finish_reason: 'stop' },
        ),
      ],
      before,
    );
    expect(after.turns.map((turn) => [turn.user?.content, answerText(after, after.turns.indexOf(turn)), turn.status])).toStrictEqual([
      ['first', 'One', 'complete'],
      ['second', 'Hello world', 'complete'],
    ]);
    expect(after.connection).toBe('live');
  });

  it('rebuilds a reloaded page from history and the replayed frames of the turn in progress', () => {
    const history: HistoryItem[] = [
      { type: 'user_message', content: 'add', id: 'm1', seq: 1, created_at: at },
      { type: 'tool_call', call_id: 'c1', name: 'calculator', arguments: { expression: '1+1' }, seq: 2, created_at: at },
      { type: 'tool_result', call_id: 'c1', name: 'calculator', result: 2, duration_ms: 2, seq: 3, created_at: at },
      { type: 'assistant_message', content: '1+1 = 2.', status: 'complete', seq: 5, created_at: at },
      { type: 'user_message', content: 'stop me', seq: 6, created_at: at },
      { type: 'assistant_message', content: 'Part', status: 'cancelled', seq: 8, created_at: at },
    ];
    const state = run(frames(
      session({ resumed: true, last_seq: 11, history, turn_in_progress: true }),
      { type: 'ack', seq: 9, content: 'third' },
      { type: 'token', seq: 10, content: 'Thi' },
      { type: 'token', seq: 11, content: 'nking' },
    ));
    expect(state.turns.map((turn, index) => ({ user: turn.user?.content, text: answerText(state, index), status: turn.status, tools: turn.parts.filter((part) => part.kind === 'tool').length }))).toStrictEqual([
      { user: 'add', text: '1+1 = 2.', status: 'complete', tools: 1 },
      { user: 'stop me', text: 'Part', status: 'cancelled', tools: 0 },
      { user: 'third', text: 'Thinking', status: 'streaming', tools: 0 },
    ]);
    expect(state.lastSeq).toBe(11);
  });

  it('takes a turn that finished while disconnected from history instead of the partial copy', () => {
    const before = run(frames(session(), { type: 'ack', seq: 1, content: 'q' }, { type: 'token', seq: 2, content: 'Par' }));
    const history: HistoryItem[] = [
      { type: 'user_message', content: 'q', seq: 1, created_at: at },
      { type: 'assistant_message', content: 'Partial no more', status: 'complete', seq: 5, created_at: at },
    ];
    const after = chatReducer(before, { type: 'frame', frame: session({ resumed: true, last_seq: 5, history }) });
    expect(after.turns.map((turn, index) => [turn.user?.content, answerText(after, index), turn.status])).toStrictEqual([['q', 'Partial no more', 'complete']]);
    expect(after.lastSeq).toBe(5);
  });

  it('keeps a message sent while disconnected pending, and shows it once when the resend is a duplicate', () => {
    const sent = run([...frames(session()), { type: 'connection', status: 'reconnecting' }, { type: 'send', id: 'm9', content: 'are you there?' }]);
    expect(sent.turns[0]!.user).toStrictEqual({ content: 'are you there?', id: 'm9', state: 'pending' });
    const resumed = run(frames(
      session({ resumed: true, last_seq: 1, history: [], turn_in_progress: true }),
      // The message had reached the server before the drop: its ack is replayed, then the resend is a duplicate.
      { type: 'ack', seq: 1, id: 'm9', content: 'are you there?' },
      { type: 'ack', seq: 1, id: 'm9', duplicate: true },
      { type: 'token', seq: 2, content: 'Yes.' },
    ), sent);
    expect(resumed.turns.map((turn, index) => [turn.user?.content, turn.user?.state, answerText(resumed, index)])).toStrictEqual([['are you there?', 'stored', 'Yes.']]);
  });

  it('drops a pending message that history shows was stored', () => {
    const sent = run([...frames(session()), { type: 'send', id: 'm1', content: 'hello' }]);
    const history: HistoryItem[] = [
      { type: 'user_message', content: 'hello', id: 'm1', seq: 1, created_at: at },
      { type: 'assistant_message', content: 'Hi', status: 'complete', seq: 3, created_at: at },
    ];
    const resumed = chatReducer(sent, { type: 'frame', frame: session({ resumed: true, last_seq: 3, history }) });
    expect(resumed.turns.map((turn, index) => [turn.user?.content, answerText(resumed, index)])).toStrictEqual([['hello', 'Hi']]);
  });

  it('marks a refused message as not sent with its reason, and a retry makes it pending again', () => {
    const refused = run([
      ...frames(session()),
      { type: 'send', id: 'm1', content: 'x'.repeat(10) },
      ...frames({ type: 'error', code: 'too_large', message: 'too long', recoverable: true, id: 'm1' }),
    ]);
    expect(refused.turns[0]).toMatchObject({ status: 'not-sent', error: { code: 'too_large', message: 'too long' }, user: { state: 'failed' } });
    const retried = chatReducer(refused, { type: 'retry', id: 'm1' });
    expect(retried.turns[0]).toStrictEqual({ key: 'local-m1', user: { content: 'x'.repeat(10), id: 'm1', state: 'pending' }, parts: [], status: 'sending' });
  });

  it('keeps how long a rate-limited or over-quota user must wait, on the message and on a notice', () => {
    const state = run([
      ...frames(session()),
      { type: 'send', id: 'm1', content: 'one more' },
      ...frames(
        { type: 'error', code: 'rate_limited', message: 'More than 20 messages a minute', recoverable: true, id: 'm1', retry_after_s: 40 },
        { type: 'error', code: 'quota_exceeded', message: 'quota used', recoverable: true, retry_after_s: 11_520 },
      ),
    ]);
    expect(state.turns[0]).toMatchObject({ status: 'not-sent', error: { code: 'rate_limited', retryAfterS: 40 } });
    expect(state.notice).toStrictEqual({ code: 'quota_exceeded', message: 'quota used', recoverable: true, retryAfterS: 11_520 });
  });

  it('drops the notice of a refused token once a renewed one gets the session back', () => {
    const refused = run(frames(session(), { type: 'error', code: 'unauthorized', message: 'The token has expired.', recoverable: false }));
    expect(refused.notice?.code).toBe('unauthorized');
    expect(chatReducer(refused, { type: 'frame', frame: session({ resumed: true }) }).notice).toBeNull();
  });

  it('attaches a model error to the turn and shows other errors as a notice', () => {
    const state = run(frames(
      session(),
      { type: 'ack', seq: 1, content: 'q' },
      { type: 'token', seq: 2, content: 'Part' },
      { type: 'error', seq: 3, code: 'llm_timeout', message: 'stalled', recoverable: true },
      { type: 'done', seq: 4, finish_reason: 'error' },
      { type: 'error', code: 'bad_frame', message: 'not JSON', recoverable: true },
    ));
    expect(state.turns[0]).toMatchObject({ status: 'error', error: { code: 'llm_timeout', message: 'stalled' } });
    expect(answerText(state, 0)).toBe('Part');
    expect(state.notice).toStrictEqual({ code: 'bad_frame', message: 'not JSON', recoverable: true });
  });

  it("shows another tab's message and answer in this tab", () => {
    const state = run(frames(session(), { type: 'ack', seq: 1, id: 'other-tab', content: 'from the phone' }, { type: 'token', seq: 2, content: 'Hi' }));
    expect(state.turns[0]!.user).toStrictEqual({ content: 'from the phone', seq: 1, state: 'stored', id: 'other-tab' });
  });

  it('marks an answer interrupted when the turn in progress is gone after a reconnect', () => {
    const before = run(frames(session(), { type: 'ack', seq: 1, content: 'q' }, { type: 'token', seq: 2, content: 'Pa' }));
    const after = chatReducer(before, { type: 'frame', frame: session({ resumed: true, last_seq: 2, history: [], turn_in_progress: false }) });
    expect(after.turns[0]!.status).toBe('interrupted');
  });
});

describe('a long conversation', () => {
  const turn = (index: number): HistoryItem[] => [
    { type: 'user_message', content: `question ${index}`, id: `m${index}`, seq: index * 10 + 1, created_at: at },
    { type: 'assistant_message', content: `answer ${index}`, status: 'complete', seq: index * 10 + 10, created_at: at },
  ];
  const turns = (from: number, to: number) => Array.from({ length: to - from }, (_, offset) => turn(from + offset)).flat();
  const users = (state: ChatState) => state.turns.map((chatTurn) => chatTurn.user?.content);

  it('shows the newest turns of the session frame and knows older ones exist', () => {
    const state = run(frames(session({ resumed: true, last_seq: 100, history: turns(5, 10), more_history: true })));
    expect(users(state)).toStrictEqual(['question 5', 'question 6', 'question 7', 'question 8', 'question 9']);
    expect(state.olderTurns).toBe('more');
  });

  it('knows nothing older exists when the frame carries the whole conversation', () => {
    expect(run(frames(session({ resumed: true, last_seq: 20, history: turns(0, 2) }))).olderTurns).toBe('none');
  });

  it('puts older turns read through the events API above the ones shown, once, and stops when none are left', () => {
    const shown = run(frames(session({ resumed: true, last_seq: 100, history: turns(5, 10), more_history: true })));
    const loading = chatReducer(shown, { type: 'older-loading' });
    expect(loading.olderTurns).toBe('loading');
    const page = chatReducer(loading, { type: 'older-loaded', history: turns(2, 6), more: true });
    expect(users(page)).toStrictEqual(['question 2', 'question 3', 'question 4', 'question 5', 'question 6', 'question 7', 'question 8', 'question 9']);
    expect(page.olderTurns).toBe('more');
    const last = chatReducer(page, { type: 'older-loaded', history: turns(0, 2), more: false });
    expect(users(last).slice(0, 3)).toStrictEqual(['question 0', 'question 1', 'question 2']);
    expect(last.olderTurns).toBe('none');
    expect(last.lastSeq).toBe(100);
  });

  it('keeps the older turns it read across a reconnect whose history starts later', () => {
    const read = run([
      ...frames(session({ resumed: true, last_seq: 100, history: turns(5, 10), more_history: true })),
      { type: 'older-loaded', history: turns(3, 5), more: true },
    ]);
    const reconnected = chatReducer(read, { type: 'frame', frame: session({ resumed: true, last_seq: 110, history: turns(6, 11), more_history: true }) });
    expect(users(reconnected)).toStrictEqual(['question 3', 'question 4', 'question 5', 'question 6', 'question 7', 'question 8', 'question 9', 'question 10']);
    expect(reconnected.olderTurns).toBe('more');
  });

  it('offers to try again when older turns could not be read', () => {
    const shown = run(frames(session({ resumed: true, last_seq: 100, history: turns(5, 10), more_history: true })));
    expect(run([{ type: 'older-loading' }, { type: 'older-failed' }], shown).olderTurns).toBe('failed');
  });
});
