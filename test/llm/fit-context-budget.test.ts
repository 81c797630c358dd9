import { describe, expect, it } from 'vitest';
import { estimateUsage } from '../../src/llm/estimate-usage.js';
import { contextStart, fitContextBudget } from '../../src/llm/fit-context-budget.js';
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

describe('the part of a long conversation the model can use', () => {
  // Turns of uneven size, with tool calls, so whole turns and condensed lines both matter.
  const longConversation = Array.from({ length: 400 }, (_, index) => [
    historyItem.user(`question ${index} ${'q'.repeat((index * 37) % 300)}`),
    ...(index % 5 === 0 ? [historyItem.toolCall(`c${index}`, 'calculator', { expression: `${index}*2` }), historyItem.toolResult(`c${index}`, 'calculator', { result: index * 2 })] : []),
    historyItem.assistant(`answer ${index} ${'a'.repeat((index * 53) % 700)}`),
  ]).flat();

  it.each([2_000, 6_000, 24_000])('gives the model the same turns and condensed lines from where it starts as from the whole conversation (budget %i)', (budget) => {
    const start = contextStart(longConversation, budget);
    expect(start).not.toBeNull();
    expect(start).toBeGreaterThan(0);
    expect(longConversation[start!]!.type).toBe('user_message');
    for (const reserved of [0, 200]) {
      const whole = fitContextBudget(longConversation, budget, reserved);
      const recent = fitContextBudget(longConversation.slice(start!), budget, reserved, true);
      expect(recent.history).toStrictEqual(whole.history);
      // Only the header differs: it cannot count turns it was not given.
      expect(recent.condensed!.split('\n').slice(1)).toStrictEqual(whole.condensed!.split('\n').slice(1));
      expect(recent.condensed!.split('\n')[0]).toBe('Earlier in this conversation (older turns, condensed; the oldest left out):');
    }
  });

  it('needs all of a conversation that fits the budget, and anything older too', () => {
    expect(contextStart(longConversation.slice(-6), 24_000)).toBeNull();
  });
});
