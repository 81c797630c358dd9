import { describe, expect, it } from 'vitest';
import { activeHistory, historyFromEvents, type HistoryItem } from '../../src/protocol/index.js';

const at = '2026-11-30T06:00:00.000Z';
const user = (seq: number, content: string, extra: { regenerate_of?: number; edit_of?: number } = {}): HistoryItem => ({ type: 'user_message', content, seq, created_at: at, ...extra });
const answer = (seq: number, content: string): HistoryItem => ({ type: 'assistant_message', content, status: 'complete', seq, created_at: at });
const call = (seq: number): HistoryItem => ({ type: 'tool_call', call_id: `c${seq}`, name: 'calculator', arguments: {}, seq, created_at: at });
const texts = (items: readonly HistoryItem[]) => items.map((item) => ('content' in item ? item.content : item.type));

describe('activeHistory', () => {
  it('gives back the conversation unchanged when nothing was regenerated or edited', () => {
    const items = [user(1, 'a'), call(2), answer(3, 'A'), user(4, 'b'), answer(5, 'B')];
    expect(activeHistory(items)).toStrictEqual(items);
  });

  it('drops the answer a regenerated message replaces, so the model never sees it', () => {
    const items = [user(1, 'a'), answer(2, 'A'), user(3, 'b'), answer(4, 'first B'), user(5, 'b', { regenerate_of: 3 }), answer(6, 'second B')];
    expect(texts(activeHistory(items))).toStrictEqual(['a', 'A', 'b', 'second B']);
  });

  it('drops the edited turn and every turn after it, tool calls included', () => {
    const items = [user(1, 'a'), answer(2, 'A'), user(3, 'b'), call(4), answer(5, 'B'), user(6, 'c'), answer(7, 'C'), user(8, 'b, better', { edit_of: 3 }), answer(9, 'B2')];
    expect(texts(activeHistory(items))).toStrictEqual(['a', 'A', 'b, better', 'B2']);
  });

  it('keeps the newest branch when a message is regenerated twice in a row', () => {
    const items = [user(1, 'a'), answer(2, 'A1'), user(3, 'a', { regenerate_of: 1 }), answer(4, 'A2'), user(5, 'a', { regenerate_of: 3 }), answer(6, 'A3')];
    expect(texts(activeHistory(items))).toStrictEqual(['a', 'A3']);
  });

  it('cuts where a replaced message stood when an older branch is named again', () => {
    const items = [user(1, 'a'), answer(2, 'A'), user(3, 'b'), answer(4, 'B'), user(5, 'b2', { edit_of: 3 }), answer(6, 'B2'), user(7, 'b3', { edit_of: 3 }), answer(8, 'B3')];
    expect(texts(activeHistory(items))).toStrictEqual(['a', 'A', 'b3', 'B3']);
  });

  it('keeps a regenerated answer that was stopped or failed: it is the active one until replaced', () => {
    const stopped: HistoryItem = { type: 'assistant_message', content: 'half', status: 'cancelled', seq: 4, created_at: at };
    const items = [user(1, 'a'), answer(2, 'A'), user(3, 'a', { regenerate_of: 1 }), stopped];
    expect(activeHistory(items)).toStrictEqual([user(3, 'a', { regenerate_of: 1 }), stopped]);
  });

  it('drops everything before an edit whose message is older than the window it reads', () => {
    const window = [user(10, 'j'), answer(11, 'J'), user(12, 'edited', { edit_of: 4 }), answer(13, 'E')];
    expect(texts(activeHistory(window))).toStrictEqual(['edited', 'E']);
  });

  it('is the same whether applied once or twice', () => {
    const items = [user(1, 'a'), answer(2, 'A'), user(3, 'b'), answer(4, 'B'), user(5, 'b2', { edit_of: 3 }), answer(6, 'B2')];
    expect(activeHistory(activeHistory(items))).toStrictEqual(activeHistory(items));
  });

  it('reads regenerate_of and edit_of from the events the log stores', () => {
    const events = [
      { event_type: 'user_message', content: 'a', metadata: {}, seq: 1, created_at: at },
      { event_type: 'assistant_message', content: 'A', metadata: { status: 'complete' }, seq: 2, created_at: at },
      { event_type: 'user_message', content: 'a', metadata: { regenerate_of: 1 }, seq: 3, created_at: at },
      { event_type: 'assistant_message', content: 'A again', metadata: { status: 'complete' }, seq: 4, created_at: at },
    ];
    expect(texts(activeHistory(historyFromEvents(events)))).toStrictEqual(['a', 'A again']);
  });
});

describe('history items keep what the user saw', () => {
  it('carry an answer\'s measures, finish reason and error from its stored metadata', () => {
    const [item] = historyFromEvents([
      {
        event_type: 'assistant_message',
        content: 'Half an answer',
        metadata: { status: 'error', finish_reason: 'error', ttft_ms: 12.5, duration_ms: 340, prompt_tokens: 20, completion_tokens: 3, usage_estimated: true, error_code: 'llm_error', error_message: 'The model failed.' },
        seq: 5,
        created_at: at,
      },
    ]);
    expect(item).toStrictEqual({
      type: 'assistant_message',
      content: 'Half an answer',
      status: 'error',
      finish_reason: 'error',
      measures: { ttft_ms: 12.5, duration_ms: 340, prompt_tokens: 20, completion_tokens: 3, estimated: true },
      error_code: 'llm_error',
      error_message: 'The model failed.',
      seq: 5,
      created_at: at,
    });
  });

  it('leave out measures a turn did not have (no first token) and carry none for an old event without them', () => {
    const items = historyFromEvents([
      { event_type: 'assistant_message', content: '', metadata: { status: 'cancelled', finish_reason: 'cancelled', ttft_ms: null, duration_ms: 80, prompt_tokens: null, completion_tokens: null }, seq: 3, created_at: at },
      { event_type: 'assistant_message', content: 'x', metadata: { status: 'complete' }, seq: 6, created_at: at },
    ]);
    expect(items[0]).toMatchObject({ measures: { duration_ms: 80 }, finish_reason: 'cancelled' });
    expect(items[0]).not.toHaveProperty('measures.ttft_ms');
    expect(items[1]).toStrictEqual({ type: 'assistant_message', content: 'x', status: 'complete', seq: 6, created_at: at });
  });
});
