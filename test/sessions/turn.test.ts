import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../src/errors/index.js';
import { estimateUsage } from '../../src/llm/estimate-usage.js';
import type { HistoryItem } from '../../src/protocol/index.js';
import { Turn } from '../../src/sessions/turn.js';
import { RecordingTurnOutput } from './support/recording-turn-output.js';
import { TurnScript } from './support/turn-script.js';

const history: HistoryItem[] = [{ type: 'user_message', content: 'what is 2+3?', seq: 1, created_at: '2026-01-01T00:00:00.000Z' }];

function start(script: TurnScript, output = new RecordingTurnOutput()) {
  return { turn: new Turn(script.events, output, history, estimateUsage), output };
}

describe('a turn', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('streams text as tokens, numbers tool frames as they come, and sends done once the answer is recorded', async () => {
    const script = new TurnScript();
    const { turn, output } = start(script);
    await vi.advanceTimersByTimeAsync(100);
    script.push({ type: 'tool_call', callId: 'c1', name: 'calculator', arguments: { expression: '2+3' } });
    script.push({ type: 'tool_result', callId: 'c1', name: 'calculator', result: 5, durationMs: 3 });
    await vi.advanceTimersByTimeAsync(50);
    script.text('2+3 ', 'is 5.');
    await vi.advanceTimersByTimeAsync(50);
    script.finish();

    const result = await turn.done;

    expect(output.tokens).toStrictEqual(['2+3 ', 'is 5.']);
    expect(output.frames).toStrictEqual([
      { type: 'tool_call', seq: 1, call_id: 'c1', name: 'calculator', arguments: { expression: '2+3' } },
      { type: 'tool_result', seq: 2, call_id: 'c1', name: 'calculator', result: 5, duration_ms: 3 },
      { type: 'done', seq: 3, finish_reason: 'stop', usage: { prompt_tokens: 10, completion_tokens: 5 }, ttft_ms: 150, duration_ms: 200 },
    ]);
    expect(output.records).toStrictEqual([
      { event_type: 'tool_call', content: 'calculator', metadata: { call_id: 'c1', name: 'calculator', arguments: { expression: '2+3' } }, seq: 1 },
      { event_type: 'tool_result', content: 'calculator', metadata: { call_id: 'c1', name: 'calculator', result: 5, duration_ms: 3 }, seq: 2 },
      {
        event_type: 'assistant_message',
        content: '2+3 is 5.',
        metadata: {
          status: 'complete',
          finish_reason: 'stop',
          ttft_ms: 150,
          duration_ms: 200,
          prompt_tokens: 10,
          completion_tokens: 5,
          usage_estimated: false,
        },
        seq: 3,
      },
    ]);
    expect(result).toMatchObject({ status: 'complete', text: '2+3 is 5.', finishReason: 'stop' });
    expect(turn.status).toBe('complete');
  });

  it('ends at once on cancel, keeping exactly the text delivered as cancelled, with usage estimated, and lets the stream go', async () => {
    const script = new TurnScript();
    const { turn, output } = start(script);
    script.text('Half ', 'an ');
    await vi.advanceTimersByTimeAsync(10);

    const result = await turn.cancel();
    script.text('late text');
    await vi.advanceTimersByTimeAsync(10);

    expect(result).toMatchObject({ status: 'cancelled', text: 'Half an ', finishReason: 'cancelled', usage: { estimated: true } });
    expect(output.tokens).toStrictEqual(['Half ', 'an ']);
    expect(output.frames).toStrictEqual([
      { type: 'done', seq: 1, finish_reason: 'cancelled', usage: { prompt_tokens: 7, completion_tokens: 2, estimated: true }, ttft_ms: 0, duration_ms: 10 },
    ]);
    expect(output.answer).toMatchObject({ content: 'Half an ', metadata: { status: 'cancelled', usage_estimated: true } });
    expect(script.released).toBe(true);
  });

  it('is stored as interrupted when a new message replaced it', async () => {
    const script = new TurnScript();
    const { turn, output } = start(script);
    script.text('Once ');
    await vi.advanceTimersByTimeAsync(0);
    await turn.cancel('interrupted');
    expect(output.frames.at(-1)).toMatchObject({ type: 'done', finish_reason: 'interrupted' });
    expect(output.answer?.metadata).toMatchObject({ status: 'interrupted', finish_reason: 'interrupted' });
  });

  it('turns a model failure into an error frame, then done, keeping the partial text with the error code', async () => {
    const script = new TurnScript();
    const { turn, output } = start(script);
    script.text('Half ');
    script.fail(new ParleyError('llm_timeout', 'The model stalled.'));

    const result = await turn.done;

    expect(output.frames).toStrictEqual([
      { type: 'error', seq: 1, code: 'llm_timeout', message: 'The model stalled.', recoverable: true },
      { type: 'done', seq: 2, finish_reason: 'error', usage: { prompt_tokens: 7, completion_tokens: 2, estimated: true }, ttft_ms: 0, duration_ms: 0 },
    ]);
    expect(output.answer).toMatchObject({ content: 'Half ', metadata: { status: 'error', error_code: 'llm_timeout', error_message: 'The model stalled.' } });
    expect(result.error?.code).toBe('llm_timeout');
  });

  it('sends done after durableWaitMs when the database is slow to store the answer', async () => {
    const script = new TurnScript();
    const output = new RecordingTurnOutput();
    output.stored = new Promise(() => undefined);
    const { turn } = start(script, output);
    script.text('Hi.');
    script.finish();
    await vi.advanceTimersByTimeAsync(999);
    expect(output.frames).toStrictEqual([]);

    await vi.advanceTimersByTimeAsync(1);

    expect(output.frames.map((frame) => frame.type)).toStrictEqual(['done']);
    await turn.done;
  });
});
