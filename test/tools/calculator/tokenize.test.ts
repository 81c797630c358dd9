import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/tools/calculator/tokenize.js';

const summary = (expression: string) => tokenize(expression).map((token) => [token.kind, token.text, token.position]);

describe('tokenize', () => {
  it('gives each token its 1-based position and its text as written', () => {
    expect(summary('2 × (3 ** 2)')).toStrictEqual([
      ['number', '2', 1],
      ['operator', '×', 3],
      ['operator', '(', 5],
      ['number', '3', 6],
      ['operator', '**', 8],
      ['number', '2', 11],
      ['operator', ')', 12],
    ]);
  });

  it('maps the symbols people type to the operator they mean', () => {
    const operators = tokenize('1 × 2 ÷ 3 − 4 · 5 ** 6 √7').flatMap((token) => (token.kind === 'operator' ? [token.operator] : []));
    expect(operators).toStrictEqual(['*', '/', '-', '*', '^', '√']);
  });

  it('reads thousands separators outside function calls only', () => {
    expect(tokenize('1,234,567').map((token) => token.kind === 'number' && token.value)).toStrictEqual([1234567]);
    expect(summary('max(1,234)')).toStrictEqual([
      ['name', 'max', 1],
      ['operator', '(', 4],
      ['number', '1', 5],
      ['operator', ',', 6],
      ['number', '234', 7],
      ['operator', ')', 10],
    ]);
  });

  it('does not take a comma followed by other than three digits as a separator', () => {
    expect(summary('1,2345')).toStrictEqual([
      ['number', '1', 1],
      ['operator', ',', 2],
      ['number', '2345', 3],
    ]);
  });

  it('reads "2e" as a number then the constant e, and "2e3" as scientific notation', () => {
    expect(summary('2e')).toStrictEqual([['number', '2', 1], ['name', 'e', 2]]);
    expect(tokenize('2e3')).toStrictEqual([{ kind: 'number', value: 2000, text: '2e3', position: 1 }]);
  });
});
