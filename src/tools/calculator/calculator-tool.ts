import { z } from 'zod';
import type { Tool } from '../tool.js';
import { calculate } from './calculate.js';

export const calculatorParameters = z.object({
  expression: z
    .string()
    .describe('The arithmetic expression to evaluate, for example "12*(3+4)", "2^10", "sqrt(2)/2" or "15% of 80".'),
});

export type CalculatorParameters = z.infer<typeof calculatorParameters>;

export interface CalculatorResult {
  expression: string;
  result: number;
}

export const calculatorTool: Tool<CalculatorParameters, CalculatorResult> = {
  name: 'calculator',
  description:
    'Evaluates an arithmetic expression exactly and safely; use it for any calculation instead of computing in your head. ' +
    'Supports + - * / % (modulo), ^ or ** (power), parentheses, n! (factorial), "15% of 80", ' +
    'constants pi, e, tau and functions sqrt, cbrt, abs, round(x, decimals), floor, ceil, exp, ln, log (base 10, or log(x, base)), log2, ' +
    'sin, cos, tan, asin, acos, atan (radians), min, max, fact. Write every multiplication with *: 2*(3+4), not 2(3+4). ' +
    'Returns { expression, result } with the result rounded to 12 significant digits.',
  parameters: calculatorParameters,
  execute: ({ expression }, { signal }) => Promise.resolve({ expression, result: calculate(expression, { signal }) }),
};
