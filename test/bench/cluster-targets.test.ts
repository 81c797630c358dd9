import { describe, expect, it } from 'vitest';
import type { ClusterReport, SplitMeasurement, SplitRound, WorkersMeasurement, WorkersRound } from '../../bench/cluster-measurement.js';
import { renderClusterSection } from '../../bench/cluster-report.js';
import { estimateWorkers, evaluateClusterTargets } from '../../bench/cluster-targets.js';
import { clusterPlanFor, offeredTokensPerSecond, type SplitScenario, type WorkersScenario } from '../../bench/cluster-scenarios.js';

const [splitScenario, workersScenario] = clusterPlanFor('full') as [SplitScenario, WorkersScenario];
const summary = (p99: number) => ({ count: 1000, p50: 20, p99, max: p99 });
const timings = (gapP99: number) => ({ ackMs: summary(10), firstTokenMs: summary(50), gapMs: summary(gapP99) });

function split(layout: SplitMeasurement['layout'], gapP99: number, unexpectedFrames = 0): SplitMeasurement {
  return {
    layout,
    load: {
      sessions: 100,
      connectFailures: 0,
      turns: 200,
      outcomes: { ok: 200, lost: 0, wrong: 0, out_of_order: 0 },
      tokensPerSecond: 4_500,
      tokensDelivered: 40_000,
      durationMs: 9_000,
      first: timings(25),
      second: timings(gapP99),
      ackBySender: { first: summary(10), second: summary(12) },
      unexpectedFrames,
      unexpectedExamples: [],
      clientCpuMs: 1_000,
    },
    processes: [{ name: 'A', cpuMs: 3_000, rssMb: 200 }],
    cpuPer1000TokensMs: 80,
    fakeModelCpuMs: 500,
    redis: null,
    forwardedMessages: 0,
    fanoutLag: null,
    eventsMissing: 0,
    problems: [],
  };
}

function splitRound(number: number, gaps: { one: number; two: number; twoOnTwoCores: number }, unexpectedFrames = 0): SplitRound {
  return { scenario: splitScenario, round: number, relay: null, one: split('one', gaps.one), two: split('two', gaps.two), twoOnTwoCores: split('twoOnTwoCores', gaps.twoOnTwoCores, unexpectedFrames) };
}

function workers(count: number, tokensPerSecond: number, cpuPer1000TokensMs: number): WorkersMeasurement {
  return {
    workers: count,
    cores: count === 1 ? '0' : '0,1',
    load: {
      sessions: 1000,
      connectFailures: 0,
      turns: 3000,
      outcomes: { ok: 3000, lost: 0, wrong: 0, out_of_order: 0 },
      tokensPerSecond,
      tokensDelivered: 600_000,
      tokenFrames: 600_000,
      durationMs: 20_000,
      ackMs: summary(100),
      firstTokenMs: summary(500),
      gapMs: summary(200),
      clientCpuMs: 8_000,
    },
    processes: [],
    cpuPer1000TokensMs,
    fakeModelCpuMs: 2_000,
    redis: null,
    eventsMissing: 0,
    problems: [],
  };
}

function workersRound(number: number, one: { tokensPerSecond: number; cpu: number }, two: { tokensPerSecond: number; cpu: number }): WorkersRound {
  return { scenario: workersScenario, round: number, relay: null, one: workers(1, one.tokensPerSecond, one.cpu), two: workers(2, two.tokensPerSecond, two.cpu), twoOnOneCore: workers(2, two.tokensPerSecond, two.cpu) };
}

const reportOf = (split: SplitRound[], workerRounds: WorkersRound[]): ClusterReport => ({ redisUrl: 'redis://test', skipped: null, notes: [], split, workers: workerRounds });

describe('judging the cluster scenarios', () => {
  it('judges the follower gap on the middle round of each split layout, by its growth over one instance', () => {
    const report = reportOf(
      [
        splitRound(1, { one: 25, two: 60, twoOnTwoCores: 28 }),
        splitRound(2, { one: 25, two: 40, twoOnTwoCores: 35 }),
        splitRound(3, { one: 30, two: 31, twoOnTwoCores: 33 }),
      ],
      [],
    );

    const rows = evaluateClusterTargets(report);
    expect(rows.map((row) => [row.figure.split(' vs ')[0], row.pass, row.eachRound])).toStrictEqual([
      ['gap per token p99 on the follower socket, two instances, a core each', true, '+3 ms, +10 ms, +3 ms'],
      ['gap per token p99 on the follower socket, two instances on one core', false, '+35 ms, +15 ms, +1 ms'],
      ['turns lost/wrong/out of order on either socket, frames outside a turn', true, ''],
      ['events missing after the run', true, ''],
    ]);
  });

  it('counts a frame that reached a socket outside any turn as a failure of the split scenario', () => {
    const report = reportOf([splitRound(1, { one: 25, two: 26, twoOnTwoCores: 26 }, 1)], []);

    const turns = evaluateClusterTargets(report).find((row) => row.figure.startsWith('turns lost'))!;
    expect(turns).toMatchObject({ value: '1 in 600 turns', pass: false });
  });

  it('estimates two workers from the CPU per token, and says when the scenario pace caps the figure', () => {
    const rounds = [workersRound(1, { tokensPerSecond: 30_000, cpu: 28 }, { tokensPerSecond: 27_000, cpu: 35 }), workersRound(2, { tokensPerSecond: 26_000, cpu: 30 }, { tokensPerSecond: 25_000, cpu: 36 })];

    const estimate = estimateWorkers(rounds)!;
    // Medians of two rounds take the lower: 28 and 35 ms per 1,000 tokens.
    expect(estimate.capacityRatio).toBeCloseTo((2 * 28) / 35);
    expect(estimate.offeredTokensPerSecond).toBe(offeredTokensPerSecond(workersScenario));
    expect(estimate.twoTokensPerSecond).toBe(estimate.offeredTokensPerSecond);

    const rows = evaluateClusterTargets(reportOf([], rounds));
    expect(rows[0]).toMatchObject({ pass: false, eachRound: '0.9x, 0.96x' });
    expect(rows[1]).toMatchObject({ target: '>= 1.5x', pass: true });
    expect(rows[1]!.value).toContain('1.6x (35 vs 28 ms CPU per 1,000 tokens)');
    // On core 0 alone, two workers served 0.9x and 0.96x what one instance did: with a core each, twice the lower.
    expect(rows[2]).toMatchObject({ value: '1.8x (on one core, 2 workers serve 0.9x what one instance does)', pass: true, eachRound: '0.9x, 0.96x' });
  });

  it('says in the report why the cluster scenarios did not run', () => {
    const lines = renderClusterSection({ ...reportOf([], []), skipped: 'Redis at redis://127.0.0.1:1 did not answer' });

    expect(lines.at(-1)).toBe('- Redis at redis://127.0.0.1:1 did not answer');
  });
});
