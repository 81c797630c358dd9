import type { TurnEvent } from '../../../src/llm/turn-event.js';
import { scriptedRunner } from '../../support/scripted-runner.js';

const finish: TurnEvent = { type: 'finish', finishReason: 'stop', usage: { promptTokens: 5, completionTokens: 5 } };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The words `count:N` streams, one every 15 ms: long enough to cancel or drop mid-answer. */
export function countingText(count: number): string {
  return Array.from({ length: count }, (_, index) => `w${index + 1} `).join('');
}

/**
 * A model that does what the user's message says: `tool` calls the calculator and answers
 * with its result, `count:N` streams N words slowly, anything else is echoed back.
 */
export const chatScript = scriptedRunner(async function* (signal, request) {
  const last = [...request.history].reverse().find((item) => item.type === 'user_message');
  const prompt = last?.type === 'user_message' ? last.content : '';
  if (prompt === 'tool') {
    yield { type: 'text', text: 'Let me compute.' };
    yield { type: 'tool_call', callId: 'call-1', name: 'calculator', arguments: { expression: '6*7' } };
    yield { type: 'tool_result', callId: 'call-1', name: 'calculator', result: { expression: '6*7', result: 42 }, durationMs: 1 };
    yield { type: 'text', text: 'It is 42.' };
    yield finish;
    return;
  }
  const counted = /^count:(\d+)$/.exec(prompt);
  if (counted) {
    for (const word of countingText(Number(counted[1])).match(/\S+ /g) ?? []) {
      if (signal.aborted) return;
      yield { type: 'text', text: word };
      await pause(15);
    }
    yield finish;
    return;
  }
  yield { type: 'text', text: 'You said: ' };
  yield { type: 'text', text: prompt };
  yield finish;
});
