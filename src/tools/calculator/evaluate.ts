import { calculatorError } from './calculator-error.js';
import { calculatorLimits } from './calculator-limits.js';
import { constants, mathFunctions } from './math-functions.js';
import type { SyntaxNode } from './syntax-tree.js';

export interface EvaluateOptions {
  signal?: AbortSignal;
  timeBudgetMs?: number;
  /** The clock; tests pass one that jumps ahead. */
  now?: () => number;
}

/**
 * Computes the tree's value. Every intermediate value must be finite, so an overflow is
 * reported where it happens instead of surfacing later as a NaN.
 */
export function evaluate(tree: SyntaxNode, options: EvaluateOptions = {}): number {
  const now = options.now ?? (() => performance.now());
  const deadline = now() + (options.timeBudgetMs ?? calculatorLimits.timeBudgetMs);
  const visit = (node: SyntaxNode): number => {
    // Evaluation is synchronous, so an abort or the deadline can only be noticed by polling.
    if (options.signal?.aborted) throw calculatorError('the calculation was cancelled');
    if (now() > deadline) throw calculatorError('the calculation took too long and was stopped');
    return finite(compute(node, visit), node);
  };
  return visit(tree);
}

function compute(node: SyntaxNode, visit: (node: SyntaxNode) => number): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'constant':
      return constants.get(node.name)!;
    case 'negate':
      return -visit(node.operand);
    case 'call': {
      const values = node.arguments.map(visit);
      const label = node.name === 'fact' ? 'factorial' : node.name;
      return mathFunctions.get(node.name)!.apply(values, (problem) => {
        throw calculatorError(`${label} ${problem}, at position ${node.position}`);
      });
    }
    case 'binary':
      return binary(node.operator, visit(node.left), visit(node.right), node.position);
  }
}

function binary(operator: string, left: number, right: number, position: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      if (right === 0) throw calculatorError(`division by zero at position ${position}`);
      return left / right;
    case '%':
      if (right === 0) throw calculatorError(`modulo by zero at position ${position}`);
      return left % right;
    default:
      return power(left, right, position);
  }
}

function power(base: number, exponent: number, position: number): number {
  if (base === 0 && exponent < 0) throw calculatorError(`0 to a negative power is a division by zero, at position ${position}`);
  const value = base ** exponent;
  if (Number.isNaN(value) && base < 0) {
    throw calculatorError(
      `a negative number to a fractional power is not a real number, at position ${position}; use cbrt for cube roots`,
    );
  }
  return value;
}

function finite(value: number, node: SyntaxNode): number {
  if (Number.isFinite(value)) return value;
  const where =
    node.kind === 'call' ? `${node.name} at position ${node.position}`
    : node.kind === 'binary' ? `'${node.operator}' at position ${node.position}`
    : `position ${node.position}`;
  throw calculatorError(`the result is not a finite number (it overflows at ${where})`);
}
