import { describe, expect, it } from 'vitest';
import type { HistoryItem, ServerFrame } from '../../src/protocol/index.js';
import { chatReducer, type ChatAction } from '../../web/src/state/chat-reducer.js';
import { initialChatState, type ChatState, type ChatTurn } from '../../web/src/state/chat-state.js';
import { allowedActions } from '../../web/src/state/turn-actions-allowed.js';
import { turnsFromHistory } from '../../web/src/state/turns-from-history.js';
import { plainCopy } from '../../web/src/text/plain-copy.js';

const model = { provider: 'offline', model: 'parley-offline' };
const at = '2026-11-30T06:00:00.000Z';
const run = (actions: ChatAction[], state: ChatState = initialChatState('s1')) => actions.reduce(chatReducer, state);
const frames = (...list: ServerFrame[]): ChatAction[] => list.map((frame) => ({ type: 'frame', frame }));
const session = (history: HistoryItem[] = []): ServerFrame => ({ type: 'session', session_id: 's1', resumed: history.length > 0, last_seq: history.at(-1)?.seq ?? 0, history, model, turn_in_progress: false });
const said = (state: ChatState) => state.turns.map((turn) => [turn.user?.content, turn.parts.map((part) => (part.kind === 'text' ? part.content : '')).join('')]);

const twoTurns: HistoryItem[] = [
  { type: 'user_message', content: 'one', seq: 1, created_at: at },
  { type: 'assistant_message', content: 'ONE', status: 'complete', seq: 2, created_at: at },
  { type: 'user_message', content: 'two', seq: 3, created_at: at },
  { type: 'assistant_message', content: 'TWO', status: 'cancelled', seq: 4, created_at: at },
];

describe('regenerate and edit on the page', () => {
  it('replaces the regenerated turn with the new one once the server stores it', () => {
    const state = run([
      ...frames(session(twoTurns)),
      { type: 'send', id: 'r1', content: 'two', replaces: { kind: 'regenerate', seq: 3 } },
      ...frames({ type: 'ack', seq: 5, id: 'r1', content: 'two', replaces_seq: 3 }, { type: 'token', seq: 6, content: 'TWO again' }, { type: 'done', seq: 7, finish_reason: 'stop' }),
    ]);
    expect(said(state)).toStrictEqual([['one', 'ONE'], ['two', 'TWO again']]);
  });

  it('drops the edited turn and the ones after it when another tab edits a message', () => {
    const state = run(frames(session(twoTurns), { type: 'ack', seq: 5, id: 'other-tab', content: 'one, again', replaces_seq: 1 }, { type: 'token', seq: 6, content: 'NEW' }));
    expect(said(state)).toStrictEqual([['one, again', 'NEW']]);
  });

  it('keeps the turns when the edit is refused, and marks the edit not sent', () => {
    const state = run([
      ...frames(session(twoTurns)),
      { type: 'send', id: 'e1', content: 'one, better', replaces: { kind: 'edit', seq: 1 } },
      ...frames({ type: 'error', code: 'turn_in_progress', message: 'busy', recoverable: true, id: 'e1' }),
    ]);
    expect(said(state)).toStrictEqual([['one', 'ONE'], ['two', 'TWO'], ['one, better', '']]);
    expect(state.turns[2]!.status).toBe('not-sent');
    expect(state.turns[2]!.user!.replaces).toStrictEqual({ kind: 'edit', seq: 1 });
  });

  it('shows only the active branch of a history that holds an edit', () => {
    const turns = turnsFromHistory([...twoTurns, { type: 'user_message', content: 'two, edited', edit_of: 3, seq: 5, created_at: at }, { type: 'assistant_message', content: 'TWO2', status: 'complete', seq: 6, created_at: at }]);
    expect(turns.map((turn) => turn.user?.content)).toStrictEqual(['one', 'two, edited']);
  });
});

describe('what the user saw, rebuilt from history', () => {
  it('gives a stored answer its badge, its error in the stored code and its measures', () => {
    const [turn] = turnsFromHistory([
      { type: 'user_message', content: 'q', seq: 1, created_at: at },
      {
        type: 'assistant_message', content: 'Half', status: 'error', finish_reason: 'error', error_code: 'llm_error', error_message: 'The model failed.',
        measures: { ttft_ms: 20, duration_ms: 300, prompt_tokens: 9, completion_tokens: 4 }, seq: 4, created_at: at,
      },
    ]);
    expect(turn).toMatchObject({
      status: 'error',
      error: { code: 'llm_error', message: 'The model failed.', past: true },
      measures: { finishReason: 'error', ttftMs: 20, durationMs: 300, promptTokens: 9, completionTokens: 4 },
      parts: [{ kind: 'text', content: 'Half' }],
    });
  });
});

describe('allowedActions', () => {
  const turn = (status: ChatTurn['status'], text = 'answer'): ChatTurn => ({ key: 'k', user: { content: 'q', seq: 1, state: 'stored' }, parts: text ? [{ kind: 'text', content: text }] : [], status });

  it('offers copy, regenerate and edit on the last finished turn, stopped or failed too', () => {
    for (const status of ['complete', 'cancelled', 'interrupted', 'error'] as const) {
      expect(allowedActions(turn(status), true, false)).toStrictEqual({ copy: true, regenerate: true, edit: true });
    }
  });

  it('offers regenerate only on the last turn, and no copy for an answer without text', () => {
    expect(allowedActions(turn('complete'), false, false)).toStrictEqual({ copy: true, regenerate: false, edit: true });
    expect(allowedActions(turn('error', ''), true, false)).toStrictEqual({ copy: false, regenerate: true, edit: true });
  });

  it('offers nothing but copy while a turn runs, and nothing on the answer being written', () => {
    expect(allowedActions(turn('complete'), false, true)).toStrictEqual({ copy: true, regenerate: false, edit: false });
    expect(allowedActions(turn('streaming'), true, true)).toStrictEqual({ copy: false, regenerate: false, edit: false });
  });
});

describe('plainCopy', () => {
  it('copies what the reader sees: no markdown symbols, code and links kept, paragraphs apart', () => {
    const markdown = ['# Title', '', 'Some **bold** and *italic* text with `code`, a [link](https://example.com).', '', '- one', '- [x] done', '', '```js', 'const a = 1;', '```', '', '| a | b |', '|---|:-:|', '| 1 | 2 |'].join('\n');
    expect(plainCopy(markdown)).toBe(['Title', '', 'Some bold and italic text with code, a link (https://example.com).', '', '• one', '☑ done', '', 'const a = 1;', '', 'a\tb', '1\t2'].join('\n'));
  });
});
