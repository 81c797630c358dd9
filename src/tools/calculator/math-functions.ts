import { factorial, maxFactorial } from './factorial.js';
import { cosine, sine, tangent } from './trigonometry.js';

type Fail = (problem: string) => never;

export interface MathFunction {
  minArguments: number;
  maxArguments: number;
  /** Computes the value, or calls `fail` with why the arguments are out of the function's domain. */
  apply(values: number[], fail: Fail): number;
}

const one = (apply: (value: number, fail: Fail) => number): MathFunction => ({
  minArguments: 1,
  maxArguments: 1,
  apply: (values, fail) => apply(values[0]!, fail),
});

const positive = (compute: (value: number) => number) =>
  one((value, fail) => (value > 0 ? compute(value) : fail(`needs a number greater than 0, got ${value}`)));

const unitRange = (compute: (value: number) => number) =>
  one((value, fail) => (value >= -1 && value <= 1 ? compute(value) : fail(`needs a number from -1 to 1, got ${value}`)));

// Maps, not object literals: a name like "constructor" or "__proto__" must find nothing.
export const mathFunctions: ReadonlyMap<string, MathFunction> = new Map<string, MathFunction>([
  ['sqrt', one((value, fail) => (value >= 0 ? Math.sqrt(value) : fail(`of a negative number (${value}) is not a real number`)))],
  ['cbrt', one(Math.cbrt)],
  ['abs', one(Math.abs)],
  ['floor', one(Math.floor)],
  ['ceil', one(Math.ceil)],
  ['exp', one(Math.exp)],
  ['ln', positive(Math.log)],
  ['log2', positive(Math.log2)],
  ['log', { minArguments: 1, maxArguments: 2, apply: logarithm }],
  ['round', { minArguments: 1, maxArguments: 2, apply: round }],
  ['sin', one(sine)],
  ['cos', one(cosine)],
  ['tan', one(tangent)],
  ['asin', unitRange(Math.asin)],
  ['acos', unitRange(Math.acos)],
  ['atan', one(Math.atan)],
  ['min', { minArguments: 1, maxArguments: Infinity, apply: (values) => Math.min(...values) }],
  ['max', { minArguments: 1, maxArguments: Infinity, apply: (values) => Math.max(...values) }],
  ['fact', one(factorialOrFail)],
  ['factorial', one(factorialOrFail)],
]);

export const constants: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['π', Math.PI],
  ['e', Math.E],
  ['tau', 2 * Math.PI],
  ['τ', 2 * Math.PI],
]);

export function factorialOrFail(value: number, fail: Fail): number {
  return factorial(value) ?? fail(`is defined here for whole numbers from 0 to ${maxFactorial}, got ${value}`);
}

function logarithm(values: number[], fail: Fail): number {
  const [value, base = 10] = values as [number, number?];
  if (value <= 0) fail(`needs a number greater than 0, got ${value}`);
  if (base <= 0 || base === 1) fail(`needs a base greater than 0 and other than 1, got ${base}`);
  return base === 10 ? Math.log10(value) : Math.log(value) / Math.log(base);
}

function round(values: number[], fail: Fail): number {
  const [value, decimals = 0] = values as [number, number?];
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 12) {
    fail(`takes a whole number of decimals from 0 to 12, got ${decimals}`);
  }
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
