import { describe, expect, it } from 'vitest';
import { chatRequestSchema, readUserTurn } from '../../src/aichat/chat-request.js';
import { framesOfFinishedTurn } from '../../src/aichat/frames-of-finished-turn.js';
import type { HistoryItem } from '../../src/protocol/index.js';

const request = (overrides: Record<string, unknown>) =>
  chatRequestSchema.parse({ id: 'chat-1', messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hello' }] }], ...overrides });

describe('readUserTurn', () => {
  it("runs the last user message's text under the UI message's own id", () => {
    expect(readUserTurn(request({}))).toStrictEqual({ id: 'u1', content: 'hello', interrupt: false });
  });

  it('joins the text parts and skips parts that carry no text', () => {
    const turn = readUserTurn(request({ messages: [{ id: 'u2', role: 'user', parts: [{ type: 'text', text: 'a' }, { type: 'step-start' }, { type: 'text', text: 'b' }] }] }));
    expect(turn.content).toBe('a\nb');
  });

  it('gives an edited message and a regenerated answer new ids, the same for the same request', () => {
    const edit = readUserTurn(request({ messageId: 'u1' }));
    expect(edit.id).toMatch(/^u1~edit-[0-9a-f]{16}$/);
    expect(readUserTurn(request({ messageId: 'u1' })).id).toBe(edit.id);
    expect(readUserTurn(request({ messageId: 'u1', messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'other' }] }] })).id).not.toBe(edit.id);
    expect(readUserTurn(request({ trigger: 'regenerate-message', messageId: 'answer-4' })).id).toBe('u1~regenerate-answer-4');
    const unnamed = [readUserTurn(request({ trigger: 'regenerate-message' })).id, readUserTurn(request({ trigger: 'regenerate-message' })).id];
    expect(unnamed[0]).not.toBe(unnamed[1]);
  });

  it('refuses a last message that is not the user\'s, has no text, or carries files', () => {
    expect(() => readUserTurn(request({ messages: [{ id: 'a1', role: 'assistant', parts: [] }] }))).toThrow(/last message must be the user's/);
    expect(() => readUserTurn(request({ messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: '  ' }] }] }))).toThrow(/no text/);
    expect(() => readUserTurn(request({ messages: [{ id: 'u1', role: 'user', parts: [{ type: 'file', url: 'data:,x', mediaType: 'text/plain' }] }] }))).toThrow(/File parts/);
  });
});

describe('framesOfFinishedTurn', () => {
  const history: HistoryItem[] = [
    { type: 'user_message', content: 'first', id: 'u1', seq: 1, created_at: 't' },
    { type: 'tool_call', call_id: 'c1', name: 'calculator', arguments: { expression: '1+1' }, seq: 2, created_at: 't' },
    { type: 'tool_result', call_id: 'c1', name: 'calculator', result: { result: 2 }, duration_ms: 3, seq: 3, created_at: 't' },
    { type: 'assistant_message', content: 'Two.', status: 'complete', seq: 5, created_at: 't' },
    { type: 'user_message', content: 'second', id: 'u2', seq: 7, created_at: 't' },
    { type: 'assistant_message', content: 'Cut', status: 'cancelled', seq: 9, created_at: 't' },
  ];

  it("rebuilds a finished turn's frames from the history, its text after its tools", () => {
    expect(framesOfFinishedTurn(history, 1)).toStrictEqual([
      { type: 'ack', seq: 1 },
      { type: 'tool_call', seq: 2, call_id: 'c1', name: 'calculator', arguments: { expression: '1+1' } },
      { type: 'tool_result', seq: 3, call_id: 'c1', name: 'calculator', result: { result: 2 }, duration_ms: 3 },
      { type: 'token', seq: 5, content: 'Two.' },
      { type: 'done', seq: 5, finish_reason: 'stop' },
    ]);
    expect(framesOfFinishedTurn(history, 7)?.at(-1)).toStrictEqual({ type: 'done', seq: 9, finish_reason: 'cancelled' });
  });

  it('answers null for a turn the history no longer holds', () => {
    expect(framesOfFinishedTurn(history, 100)).toBeNull();
  });
});
