import { describe, expect, it } from 'vitest';
import { historyToPrompt, noAnswerNotes } from '../../src/llm/history-to-prompt.js';
import type { HistoryItem } from '../../src/protocol/index.js';

const at = '2026-01-01T00:00:00.000Z';
const user = (content: string): HistoryItem => ({ type: 'user_message', content, seq: 0, created_at: at });
const assistant = (content: string, status: 'complete' | 'cancelled' | 'error' | 'interrupted' = 'complete'): HistoryItem => ({
  type: 'assistant_message',
  content,
  status,
  seq: 0,
  created_at: at,
});
const text = (value: string) => [{ type: 'text' as const, text: value }];

describe('historyToPrompt', () => {
  it('gives every turn that ended without text a note of how it ended, and keeps a partial answer as it is', () => {
    const prompt = historyToPrompt('Be brief.', [
      user('first'),
      assistant('', 'cancelled'),
      user('second'),
      assistant('Half an ans', 'interrupted'),
      user('third'),
      // No assistant message at all: the server stopped before it could store one.
      user('fourth'),
      assistant('', 'error'),
      user('fifth'),
    ]);
    expect(prompt).toStrictEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: text('first') },
      { role: 'assistant', content: text(noAnswerNotes.cancelled) },
      { role: 'user', content: text('second') },
      { role: 'assistant', content: text('Half an ans') },
      { role: 'user', content: text('third') },
      { role: 'assistant', content: text(noAnswerNotes.complete) },
      { role: 'user', content: text('fourth') },
      { role: 'assistant', content: text(noAnswerNotes.error) },
      { role: 'user', content: text('fifth') },
    ]);
  });

  it('sends tool calls with their results, a call left without one closed by an error', () => {
    const prompt = historyToPrompt('system', [
      user('add and wait'),
      { type: 'tool_call', call_id: 'a', name: 'add', arguments: { a: 1, b: 2 }, seq: 0, created_at: at },
      { type: 'tool_call', call_id: 'b', name: 'slow', arguments: undefined, seq: 0, created_at: at },
      { type: 'tool_result', call_id: 'a', name: 'add', result: { sum: 3 }, seq: 0, created_at: at },
      assistant('', 'cancelled'),
      user('and now?'),
      { type: 'tool_call', call_id: 'c', name: 'lookup', arguments: { key: 'x' }, seq: 0, created_at: at },
      { type: 'tool_result', call_id: 'c', name: 'lookup', error: 'no record', seq: 0, created_at: at },
      assistant('Nothing found.'),
    ]);
    expect(prompt.slice(2)).toStrictEqual([
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'a', toolName: 'add', input: { a: 1, b: 2 } },
          { type: 'tool-call', toolCallId: 'b', toolName: 'slow', input: {} },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'a', toolName: 'add', output: { type: 'json', value: { sum: 3 } } },
          { type: 'tool-result', toolCallId: 'b', toolName: 'slow', output: { type: 'error-text', value: 'The tool call was cancelled before it returned.' } },
        ],
      },
      { role: 'user', content: text('and now?') },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'lookup', input: { key: 'x' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: 'lookup', output: { type: 'error-text', value: 'no record' } }] },
      { role: 'assistant', content: text('Nothing found.') },
    ]);
  });
});
