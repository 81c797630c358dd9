import type { UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { initialUiStreamState, uiChunksOfFrame } from '../../src/aichat/ui-chunks-of-frame.js';
import type { ServerFrame } from '../../src/protocol/index.js';

function chunksOf(frames: ServerFrame[]): UIMessageChunk[] {
  let state = initialUiStreamState;
  const chunks: UIMessageChunk[] = [];
  for (const frame of frames) {
    const step = uiChunksOfFrame(state, frame);
    state = step.state;
    chunks.push(...step.chunks);
  }
  return chunks;
}

describe('uiChunksOfFrame', () => {
  it('turns a turn with text, a tool call and more text into steps of the UI message stream', () => {
    expect(chunksOf([
      { type: 'ack', seq: 7, id: 'u1', content: 'what is 6*7?' },
      { type: 'token', seq: 8, content: 'Let me ' },
      { type: 'token', seq: 9, content: 'check.' },
      { type: 'tool_call', seq: 10, call_id: 'c1', name: 'calculator', arguments: { expression: '6*7' } },
      { type: 'tool_result', seq: 11, call_id: 'c1', name: 'calculator', result: { result: 42 }, duration_ms: 1 },
      { type: 'token', seq: 12, content: 'It is 42.' },
      { type: 'done', seq: 13, finish_reason: 'stop' },
    ])).toStrictEqual([
      { type: 'start', messageId: 'answer-7' },
      { type: 'start-step' },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Let me ' },
      { type: 'text-delta', id: 'text-0', delta: 'check.' },
      { type: 'text-end', id: 'text-0' },
      { type: 'tool-input-available', toolCallId: 'c1', toolName: 'calculator', input: { expression: '6*7' }, dynamic: true },
      { type: 'tool-output-available', toolCallId: 'c1', output: { result: 42 }, dynamic: true },
      { type: 'finish-step' },
      { type: 'start-step' },
      { type: 'text-start', id: 'text-1' },
      { type: 'text-delta', id: 'text-1', delta: 'It is 42.' },
      { type: 'text-end', id: 'text-1' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  it('ignores frames before the turn starts and after it ends', () => {
    expect(chunksOf([
      { type: 'session', session_id: 's', resumed: false, last_seq: 0, model: { provider: 'p', model: 'm' }, turn_in_progress: false },
      { type: 'token', seq: 1, content: 'of another turn' },
      { type: 'ack', seq: 2 },
      { type: 'done', seq: 3, finish_reason: 'length' },
      { type: 'token', seq: 4, content: 'late' },
    ])).toStrictEqual([
      { type: 'start', messageId: 'answer-2' },
      { type: 'start-step' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'length' },
    ]);
  });

  it('reports a failed tool as a tool output error and a failed turn as an error chunk', () => {
    expect(chunksOf([
      { type: 'ack', seq: 1 },
      { type: 'tool_call', seq: 2, call_id: 'c1', name: 'fetch_data', arguments: {} },
      { type: 'tool_result', seq: 3, call_id: 'c1', name: 'fetch_data', error: 'no such source', duration_ms: 2 },
      { type: 'token', seq: 4, content: 'Sorry' },
      { type: 'error', seq: 5, code: 'llm_error', message: 'The model failed.', recoverable: true },
      { type: 'error', code: 'write_failed', message: 'not about the turn', recoverable: true },
      { type: 'done', seq: 6, finish_reason: 'error' },
    ])).toStrictEqual([
      { type: 'start', messageId: 'answer-1' },
      { type: 'start-step' },
      { type: 'tool-input-available', toolCallId: 'c1', toolName: 'fetch_data', input: {}, dynamic: true },
      { type: 'tool-output-error', toolCallId: 'c1', errorText: 'no such source', dynamic: true },
      { type: 'finish-step' },
      { type: 'start-step' },
      { type: 'text-start', id: 'text-0' },
      { type: 'text-delta', id: 'text-0', delta: 'Sorry' },
      { type: 'text-end', id: 'text-0' },
      { type: 'error', errorText: 'llm_error: The model failed.' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'error' },
    ]);
  });

  it('aborts the message when the turn was cancelled or interrupted', () => {
    for (const reason of ['cancelled', 'interrupted'] as const) {
      expect(chunksOf([
        { type: 'ack', seq: 1 },
        { type: 'token', seq: 2, content: 'part' },
        { type: 'done', seq: 3, finish_reason: reason },
      ])).toStrictEqual([
        { type: 'start', messageId: 'answer-1' },
        { type: 'start-step' },
        { type: 'text-start', id: 'text-0' },
        { type: 'text-delta', id: 'text-0', delta: 'part' },
        { type: 'text-end', id: 'text-0' },
        { type: 'finish-step' },
        { type: 'abort', reason },
      ]);
    }
  });
});
