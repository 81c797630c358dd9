import { describe, expect, it } from 'vitest';
import { waitAtMost } from '../../src/time/wait-at-most.js';

describe('waitAtMost', () => {
  it('answers true as soon as the work settles, whether it succeeded or failed', async () => {
    expect(await waitAtMost(Promise.resolve('done'), 10_000)).toBe(true);
    expect(await waitAtMost(Promise.reject(new Error('failed')), 10_000)).toBe(true);
  });

  it('answers false when the time runs out first, and the work still goes on', async () => {
    let finish!: () => void;
    const work = new Promise<void>((resolve) => (finish = resolve));
    expect(await waitAtMost(work, 5)).toBe(false);
    finish();
    expect(await waitAtMost(work, 5)).toBe(true);
  });
});
