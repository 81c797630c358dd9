import { expect, it } from 'vitest';
import { estimateUsage } from '../../src/llm/estimate-usage.js';
import { fitContextBudget } from '../../src/llm/fit-context-budget.js';
import { historyItem } from './providers/provider-harness.js';

const filler = (label: string) => `${label} ${'x'.repeat(396)}`; // about 100 tokens

it('keeps a conversation that fits unchanged', () => {
  const history = [historyItem.user('Hi'), historyItem.assistant('Hello.')];
  expect(fitContextBudget(history, 1_000)).toStrictEqual({ history, condensed: null });
});

it('leaves out the oldest whole turns, tool calls with their results, and condenses them', () => {
  const oldTurn = [
    historyItem.user(filler('first question')),
    historyItem.toolCall('c1', 'add', { a: 1, b: 2 }),
    historyItem.toolResult('c1', 'add', { result: { sum: 3 } }),
    historyItem.assistant(filler('first answer')),
  ];
  const middleTurn = [historyItem.user(filler('second question')), historyItem.assistant(filler('second answer'))];
  const lastTurn = [historyItem.user('third question')];
  const result = fitContextBudget([...oldTurn, ...middleTurn, ...lastTurn], 400);
  expect(result.history).toStrictEqual([...middleTurn, ...lastTurn]);
  expect(result.condensed).toMatch(/^Earlier in this conversation \(1 older turn, condensed\):\nUser: first question x+…\n\(called add\)\nAssistant: first answer x+…$/);
});

it('always keeps the newest turn, however long', () => {
  const history = [historyItem.user(filler('old')), historyItem.user('y'.repeat(8_000))];
  const result = fitContextBudget(history, 500);
  expect(result.history).toStrictEqual([history[1]]);
  expect(result.condensed).toContain('User: old');
});

it('estimates a cancelled turn\'s usage from the history and the delivered text, marked as estimated', () => {
  const history = [historyItem.user('x'.repeat(400))];
  expect(estimateUsage(history, 'y'.repeat(40))).toStrictEqual({ promptTokens: 104, completionTokens: 10, estimated: true });
});
