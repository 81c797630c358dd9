import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/tools/calculator/evaluate.js';
import { parse } from '../../../src/tools/calculator/parse.js';
import { tokenize } from '../../../src/tools/calculator/tokenize.js';
import { catchError } from '../catch-error.js';

const treeOf = (expression: string) => parse(tokenize(expression));

describe('evaluate', () => {
  it('stops a calculation that runs past its time budget', () => {
    let clock = 0;
    const now = () => (clock += 40);
    const error = catchError(() => evaluate(treeOf('1+2+3+4+5'), { timeBudgetMs: 100, now }));
    expect({ code: error.code, message: error.message }).toStrictEqual({
      code: 'tool_error',
      message: 'the calculation took too long and was stopped',
    });
  });

  it('stops when its signal is aborted', () => {
    const controller = new AbortController();
    controller.abort();
    const error = catchError(() => evaluate(treeOf('1+1'), { signal: controller.signal }));
    expect(error.message).toBe('the calculation was cancelled');
  });

  it('reports an overflow where it happens, not as a NaN later', () => {
    expect(catchError(() => evaluate(treeOf('1e308*10 - 1e308*10'))).message).toBe(
      "the result is not a finite number (it overflows at '*' at position 6)",
    );
  });
});
