import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { estimateUsage } from '../../src/llm/estimate-usage.js';
import { Turn } from '../../src/sessions/turn.js';
import { RecordingTurnOutput } from './support/recording-turn-output.js';
import { TurnScript } from './support/turn-script.js';

const start = (script: TurnScript, output: RecordingTurnOutput) =>
  new Turn(script.events, output, [{ type: 'user_message', content: 'tell me', seq: 1, created_at: '2026-01-01T00:00:00.000Z' }], estimateUsage);

describe('a turn saving its answer in progress', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves the text so far 2 s after new text arrives, as the interrupted answer it would be', async () => {
    const script = new TurnScript();
    const output = new RecordingTurnOutput();
    const turn = start(script, output);
    script.text('Once ', 'upon ');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(output.checkpoints).toStrictEqual([]);

    await vi.advanceTimersByTimeAsync(1);

    expect(output.checkpoints).toStrictEqual([
      {
        content: 'Once upon ',
        metadata: {
          status: 'interrupted',
          finish_reason: 'interrupted',
          ttft_ms: 0,
          duration_ms: 2_000,
          prompt_tokens: 6,
          completion_tokens: 3,
          usage_estimated: true,
        },
      },
    ]);
    script.text('a time');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(output.checkpoints.map((checkpoint) => checkpoint.content)).toStrictEqual(['Once upon ', 'Once upon a time']);
    script.finish();
    await turn.done;
  });

  it('saves nothing while no new text arrives (a long tool call loses nothing)', async () => {
    const script = new TurnScript();
    const output = new RecordingTurnOutput();
    const turn = start(script, output);
    script.text('Let me look.');
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(output.checkpoints).toHaveLength(1);
    script.finish();
    await turn.done;
  });

  it('saves at once after checkpointEvery.pieces pieces, however fast they come', async () => {
    const script = new TurnScript();
    const output = new RecordingTurnOutput();
    output.checkpointEvery = { ms: 2_000, pieces: 3 };
    const turn = start(script, output);
    script.text('a', 'b', 'c', 'd');
    await vi.advanceTimersByTimeAsync(0);
    expect(output.checkpoints.map((checkpoint) => checkpoint.content)).toStrictEqual(['abc']);
    script.finish();
    await turn.done;
  });

  it('saves nothing for a turn over before the first checkpoint, and drops nothing', async () => {
    const script = new TurnScript();
    const output = new RecordingTurnOutput();
    const turn = start(script, output);
    script.text('Hi!');
    script.finish();
    await turn.done;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(output.checkpoints).toStrictEqual([]);
    expect(output.checkpointsDone).toBe(0);
  });

  it('drops its checkpoint once its own answer is stored, and not before', async () => {
    const script = new TurnScript();
    const output = new RecordingTurnOutput();
    let answerStored: (stored: boolean) => void = () => undefined;
    output.stored = new Promise((resolve) => (answerStored = resolve));
    const turn = start(script, output);
    script.text('Once ');
    await vi.advanceTimersByTimeAsync(2_000);
    script.finish();
    await vi.advanceTimersByTimeAsync(10);
    expect(output.answer).toMatchObject({ content: 'Once ', metadata: { status: 'complete' } });
    expect(output.checkpointsDone).toBe(0);

    answerStored(true);
    await turn.done;

    expect(output.checkpointsDone).toBe(1);
    expect(output.checkpoints).toHaveLength(1);
  });

  it('keeps its checkpoint when its answer could not be stored, for the next start to recover', async () => {
    const script = new TurnScript();
    const output = new RecordingTurnOutput();
    output.stored = Promise.resolve(false);
    const turn = start(script, output);
    script.text('Once ');
    await vi.advanceTimersByTimeAsync(2_000);
    script.finish();
    await turn.done;
    expect(output.checkpoints).toHaveLength(1);
    expect(output.checkpointsDone).toBe(0);
  });
});
