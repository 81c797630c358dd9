import { describe, expect, it } from 'vitest';
import { percentile, percentileOfSorted } from '../../src/stats/percentile.js';

describe('the nearest-rank percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => 100 - index);

  it('is a value of the list: the smallest with the fraction of values at or below it', () => {
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.95)).toBe(95);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile([15, 20, 35, 40, 50], 0.3)).toBe(20);
    expect(percentile([15, 20, 35, 40, 50], 0.4)).toBe(20);
  });

  it('gives the smallest value at 0 and the largest at 1', () => {
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 1)).toBe(3);
  });

  it('sorts numbers by value, not as text', () => {
    expect(percentile([9, 10, 100], 0.34)).toBe(10);
  });

  it('reads a sorted typed array in place', () => {
    expect(percentileOfSorted(Float64Array.of(1, 2, 3, 4), 0.5)).toBe(2);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
});
