/**
 * Bounds that keep one expression cheap however hostile it is. Every check happens before
 * the work it guards, so nothing grows past them.
 */
export const calculatorLimits = {
  maxLength: 500,
  maxTokens: 300,
  /** Parentheses, unary signs, powers and calls nested inside each other. */
  maxDepth: 64,
  /** Evaluation is synchronous, so it watches the clock itself rather than waiting for a timer. */
  timeBudgetMs: 100,
  significantDigits: 12,
} as const;
