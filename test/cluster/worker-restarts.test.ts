import { describe, expect, it } from 'vitest';
import { afterWorkerExit, defaultRestartLimits, type RestartDecision } from '../../src/cluster/worker-restarts.js';

describe('afterWorkerExit', () => {
  it('restarts a worker that ran a while soon, forgetting earlier failures', () => {
    expect(afterWorkerExit(3, 3_600_000)).toStrictEqual({ quickExitsInARow: 0, restartInMs: defaultRestartLimits.firstDelayMs });
  });

  it('waits twice as long after each quick exit in a row, then gives up on the fifth', () => {
    let quick = 0;
    const decisions: RestartDecision[] = [];
    for (let index = 0; index < 5; index += 1) {
      const decision = afterWorkerExit(quick, 1_000);
      decisions.push(decision);
      quick = decision.quickExitsInARow;
    }
    expect(decisions).toStrictEqual([
      { quickExitsInARow: 1, restartInMs: 500 },
      { quickExitsInARow: 2, restartInMs: 1_000 },
      { quickExitsInARow: 3, restartInMs: 2_000 },
      { quickExitsInARow: 4, restartInMs: 4_000 },
      { quickExitsInARow: 5, giveUp: true },
    ]);
  });

  it('never waits longer than the longest delay', () => {
    expect(afterWorkerExit(8, 0, { ...defaultRestartLimits, quickExitsToGiveUp: 100 })).toStrictEqual({ quickExitsInARow: 9, restartInMs: 10_000 });
  });
});
