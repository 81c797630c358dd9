import { percentile } from '../src/stats/percentile.js';
import type { ClusterReport, SplitMeasurement, SplitRound, WorkersMeasurement, WorkersRound } from './cluster-measurement.js';
import { offeredTokensPerSecond } from './cluster-scenarios.js';
import { listRounds, middleRound } from './middle-round.js';
import { format } from './report-format.js';

/** The targets of issue 14, judged like the one-instance ones on the middle round. */
export interface ClusterTargetRow {
  scenario: string;
  figure: string;
  value: string;
  target: string;
  pass: boolean | null;
  eachRound: string;
}

export const signedMs = (value: number): string => {
  const tenths = Math.round(value * 10) / 10 || 0;
  return `${tenths >= 0 ? '+' : ''}${format(tenths)} ms`;
};

export const roundLabel = (round: { round: number; scenario: { rounds: number } }) => (round.scenario.rounds > 1 ? ` (round ${round.round} of ${round.scenario.rounds})` : '');

export type SplitLayout = 'two' | 'twoOnTwoCores';

const layoutNames: Record<SplitLayout, string> = { two: 'two instances on one core', twoOnTwoCores: 'two instances, a core each' };

/** How much a figure of the second socket (the follower when split) grows when the sockets are split: two instances minus one. */
export function splitCost(round: SplitRound, layout: SplitLayout, figure: 'gapMs' | 'firstTokenMs' = 'gapMs'): number | null {
  const two = round[layout]?.load.second[figure].p99;
  const one = round.one?.load.second[figure].p99;
  return two === null || two === undefined || one === null || one === undefined ? null : two - one;
}

export function workersRatio(round: WorkersRound): number | null {
  const two = round.two?.load.tokensPerSecond;
  const one = round.one?.load.tokensPerSecond;
  return two === undefined || one === undefined || one === 0 ? null : two / one;
}

/** Of an even number, the lower of the two in the middle. */
const median = (values: number[]): number | null => (values.length === 0 ? null : percentile(values, 0.5));

export interface WorkersEstimate {
  /** Median over rounds of all serving processes' CPU ms per 1,000 tokens. */
  oneCpuPer1000Ms: number;
  twoCpuPer1000Ms: number;
  /** What the scenario's shape lets any server deliver (ramp, then each turn at its pace). */
  offeredTokensPerSecond: number;
  /** Tokens/s with each process on a core of its own and the load on other cores, capped by the offered rate. */
  oneTokensPerSecond: number;
  twoTokensPerSecond: number;
  ratio: number;
  /** The same without the cap: how far two workers' capacity scales from one. */
  capacityRatio: number;
}

/**
 * What WORKERS=2 would give where each worker has a core and the load runs elsewhere (a 4-core
 * machine: two cores for Parley, two for the load): each process's CPU per token, as measured
 * here, sets how many tokens a core serves; the scenario's own pace caps both. The CPU per
 * token of WORKERS=2 comes from its run on core 0, where the load has core 1 alone as it has
 * for WORKERS=1 (on cores 0,1 one worker shares the load's core).
 */
export function estimateWorkers(rounds: WorkersRound[]): WorkersEstimate | null {
  const first = rounds[0];
  if (!first) return null;
  const cpuOf = (pick: (round: WorkersRound) => WorkersMeasurement | null) => median(rounds.flatMap((round) => { const value = pick(round)?.cpuPer1000TokensMs; return value ? [value] : []; }));
  const one = cpuOf((round) => round.one);
  const two = cpuOf((round) => round.twoOnOneCore);
  if (one === null || two === null) return null;
  const workers = first.scenario.workers;
  const offered = offeredTokensPerSecond(first.scenario);
  const oneCapacity = 1_000_000 / one;
  const twoCapacity = (workers * 1_000_000) / two;
  const oneTokensPerSecond = Math.min(offered, oneCapacity);
  const twoTokensPerSecond = Math.min(offered, twoCapacity);
  return {
    oneCpuPer1000Ms: one,
    twoCpuPer1000Ms: two,
    offeredTokensPerSecond: offered,
    oneTokensPerSecond: Math.round(oneTokensPerSecond),
    twoTokensPerSecond: Math.round(twoTokensPerSecond),
    ratio: twoTokensPerSecond / oneTokensPerSecond,
    capacityRatio: twoCapacity / oneCapacity,
  };
}

/**
 * The other way to the same estimate, which needs no CPU accounting: WORKERS=2 and WORKERS=1
 * each get core 0 alone with the load on core 1; where both keep core 0 busy, their tokens/s
 * is what one core serves as two processes or as one. Two workers with a core each: `workers`
 * times the first. The median of the rounds' ratios; null without a pair.
 */
function sharedCoreRatio(round: WorkersRound): number | null {
  const two = round.twoOnOneCore?.load.tokensPerSecond;
  const one = round.one?.load.tokensPerSecond;
  return two && one ? two / one : null;
}

export function sharedCoreScaling(rounds: WorkersRound[]): { perCoreRatio: number; ratio: number } | null {
  const ratios = rounds.flatMap((round) => {
    const ratio = sharedCoreRatio(round);
    return ratio === null ? [] : [ratio];
  });
  const perCoreRatio = median(ratios);
  return perCoreRatio === null ? null : { perCoreRatio, ratio: perCoreRatio * rounds[0]!.scenario.workers };
}

const badTurns = (load: { outcomes: { lost: number; wrong: number; out_of_order: number } }) => load.outcomes.lost + load.outcomes.wrong + load.outcomes.out_of_order;

export function evaluateClusterTargets(report: ClusterReport): ClusterTargetRow[] {
  const rows: ClusterTargetRow[] = [];
  const split = report.split;
  if (split.length > 0) {
    for (const layout of ['twoOnTwoCores', 'two'] as const) {
      const score = (round: SplitRound) => splitCost(round, layout);
      const { round: chosen, scores } = middleRound(split, score, true)!;
      const cost = score(chosen);
      const ttftCost = splitCost(chosen, layout, 'firstTokenMs');
      rows.push({
        scenario: `${chosen.scenario.name} ${chosen.scenario.sessions}x${chosen.scenario.delayMs}ms${roundLabel(chosen)}`,
        figure: `gap per token p99 on the follower socket, ${layoutNames[layout]} vs one instance (ttft p99 alongside, no target)`,
        value:
          cost === null
            ? 'n/a'
            : `${format(chosen[layout]!.load.second.gapMs.p99, 2)} vs ${format(chosen.one!.load.second.gapMs.p99, 2)} ms (${signedMs(cost)}); ttft ${format(chosen[layout]!.load.second.firstTokenMs.p99)} vs ${format(chosen.one!.load.second.firstTokenMs.p99)} ms (${ttftCost === null ? 'n/a' : signedMs(ttftCost)})`,
        target: '<= +5 ms',
        pass: cost === null ? null : cost <= 5,
        eachRound: listRounds(scores, signedMs),
      });
    }
    const measured = split.flatMap((round) => [round.one, round.two, round.twoOnTwoCores].filter((measure): measure is SplitMeasurement => measure !== null));
    const bad = measured.reduce((sum, measure) => sum + badTurns(measure.load) + measure.load.unexpectedFrames, 0);
    const turns = measured.reduce((sum, measure) => sum + measure.load.turns, 0);
    rows.push({ scenario: `${split[0]!.scenario.name} all rounds`, figure: 'turns lost/wrong/out of order on either socket, frames outside a turn', value: `${bad} in ${format(turns, 0)} turns`, target: '0', pass: measured.length === split.length * 3 ? bad === 0 : null, eachRound: '' });
    const missing = measured.reduce((sum, measure) => sum + (measure.eventsMissing ?? Number.POSITIVE_INFINITY), 0);
    rows.push({ scenario: `${split[0]!.scenario.name} all rounds`, figure: 'events missing after the run', value: format(missing, 0), target: '0', pass: measured.length > 0 ? missing === 0 : null, eachRound: '' });
  }
  const workers = report.workers;
  if (workers.length > 0) {
    const { round: chosen, scores } = middleRound(workers, workersRatio, false)!;
    const ratio = workersRatio(chosen);
    const name = `${chosen.scenario.name} ${chosen.scenario.sessions}x${chosen.scenario.delayMs}ms`;
    rows.push({
      scenario: `${name}${roundLabel(chosen)}`,
      figure: `tokens/s, WORKERS=${chosen.scenario.workers} vs WORKERS=1, measured on this machine (cores ${chosen.two?.cores ?? 'n/a'} vs ${chosen.one?.cores ?? 'n/a'})`,
      value: ratio === null ? 'n/a' : `${format(chosen.two!.load.tokensPerSecond, 0)} vs ${format(chosen.one!.load.tokensPerSecond, 0)} (${format(ratio, 2)}x)`,
      target: '>= 1.5x',
      pass: ratio === null ? null : ratio >= 1.5,
      eachRound: listRounds(scores, (ratio) => `${format(ratio, 2)}x`),
    });
    const workerCount = chosen.scenario.workers;
    const estimate = estimateWorkers(workers);
    rows.push({
      scenario: `${name} estimate`,
      figure: `what ${workerCount} workers with a core each serve against one instance on one core (a 4-core machine: ${workerCount} cores for Parley, the load elsewhere), from CPU per 1,000 tokens, WORKERS=${workerCount} on core 0 vs WORKERS=1 (medians of rounds)`,
      value: estimate
        ? `${format(estimate.capacityRatio, 2)}x (${format(estimate.twoCpuPer1000Ms)} vs ${format(estimate.oneCpuPer1000Ms)} ms CPU per 1,000 tokens); this scenario's pace offers at most ${format(estimate.offeredTokensPerSecond, 0)} tokens/s, so it would read ${format(estimate.twoTokensPerSecond, 0)} vs ${format(estimate.oneTokensPerSecond, 0)} (${format(estimate.ratio, 2)}x)`
        : 'n/a',
      target: '>= 1.5x',
      pass: estimate ? estimate.capacityRatio >= 1.5 : null,
      eachRound: '',
    });
    const scaling = sharedCoreScaling(workers);
    rows.push({
      scenario: `${name} estimate`,
      figure: `the same from tokens/s: WORKERS=${workerCount} and WORKERS=1 each on core 0 alone, ${workerCount} x their ratio (median of rounds)`,
      value: scaling ? `${format(scaling.ratio, 2)}x (on one core, ${workerCount} workers serve ${format(scaling.perCoreRatio, 2)}x what one instance does)` : 'n/a',
      target: '>= 1.5x',
      pass: scaling ? scaling.ratio >= 1.5 : null,
      eachRound: listRounds(workers.map(sharedCoreRatio), (ratio) => `${format(ratio, 2)}x`),
    });
    const measured = workers.flatMap((round) => [round.one, round.two, round.twoOnOneCore].filter((measure): measure is WorkersMeasurement => measure !== null));
    const bad = measured.reduce((sum, measure) => sum + badTurns(measure.load), 0);
    const missing = measured.reduce((sum, measure) => sum + (measure.eventsMissing ?? Number.POSITIVE_INFINITY), 0);
    rows.push({ scenario: `${workers[0]!.scenario.name} all rounds`, figure: 'turns lost/wrong/out of order; events missing after the run', value: `${bad}; ${format(missing, 0)}`, target: '0; 0', pass: measured.length === workers.length * 3 ? bad === 0 && missing === 0 : null, eachRound: '' });
  }
  return rows;
}
