import { describe, expect, it } from 'vitest';
import { extractExpression } from '../../../src/llm/offline/extract-expression.js';

describe('extractExpression', () => {
  it.each([
    ['what is 12*(3+4)?', '12*(3+4)'],
    ['calculate sqrt(16) + 2^10', 'sqrt(16) + 2^10'],
    ['how much is 15 / 4', '15 / 4'],
    ['what is 3 times 4', '3 * 4'],
    ['7 divided by 2, please', '7 / 2'],
    ['what is 15% of 80?', '15 % of 80'],
    ['3x4', '3 * 4'],
    ['-5 + 3', '-5 + 3'],
    ['max(3, 4) * 2', 'max(3, 4) * 2'],
    ['(roughly 3+4)', '3+4'],
    ['what is (2+3', '(2+3)'],
    ['what is 2+2 and fetch data about Tokyo', '2+2'],
    ['what is fact(1e9)?', 'fact(1e9)'],
    ['2.5e3 * 2', '2.5e3 * 2'],
    ['1E-3 + 1', '1E-3 + 1'],
  ])('finds the arithmetic in %j', (message, expression) => {
    expect(extractExpression(message)).toBe(expression);
  });

  it.each(['hello there', 'I have 3 cats', 'what is 5?', 'fetch data about Tokyo', 'my e-mail is down', 'what is over there?', 'meet me at 10 x', 'I have 2e cats', 'what is 2e+3?'])(
    'finds none in %j',
    (message) => {
      expect(extractExpression(message)).toBeNull();
    },
  );
});
