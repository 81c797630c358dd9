import { calculatorError } from './calculator-error.js';
import { calculatorLimits } from './calculator-limits.js';
import { evaluate, type EvaluateOptions } from './evaluate.js';
import { parse } from './parse.js';
import { tokenize } from './tokenize.js';

/**
 * Evaluates an arithmetic expression without running any code: it is tokenized, parsed
 * into a tree and computed from a fixed table of operators, constants and functions.
 * Throws a `tool_error` ParleyError that says what is wrong and where.
 */
export function calculate(expression: string, options: EvaluateOptions = {}): number {
  const length = [...expression].length;
  if (length > calculatorLimits.maxLength) {
    throw calculatorError(`the expression is ${length} characters long; the limit is ${calculatorLimits.maxLength}`);
  }
  if (expression.trim() === '') throw calculatorError('the expression is empty');
  const value = evaluate(parse(tokenize(expression)), options);
  return roundToSignificantDigits(value);
}

/** Hides binary floating-point noise: 0.1 + 0.2 gives 0.3, not 0.30000000000000004. */
export function roundToSignificantDigits(value: number): number {
  const rounded = Number(value.toPrecision(calculatorLimits.significantDigits));
  return rounded === 0 ? 0 : rounded;
}
