import { describe, expect, it } from 'vitest';
import { BadFrameBudget } from '../../src/http/bad-frame-budget.js';

describe('bad-frame budget', () => {
  it('allows a burst, then refuses until time refills it at the steady rate', () => {
    const budget = new BadFrameBudget(3, 2, 0);
    expect([budget.spend(0), budget.spend(0), budget.spend(0), budget.spend(0)]).toStrictEqual([true, true, true, false]);
    expect(budget.spend(400)).toBe(false);
    expect(budget.spend(500)).toBe(true);
    expect(budget.spend(500)).toBe(false);
  });

  it('never saves up more than the burst, however long the socket was quiet', () => {
    const budget = new BadFrameBudget(2, 1, 0);
    const spent = Array.from({ length: 4 }, () => budget.spend(3_600_000));
    expect(spent).toStrictEqual([true, true, false, false]);
  });
});
