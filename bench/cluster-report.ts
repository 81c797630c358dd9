import type { ClusterReport, ProcessUsage, SplitMeasurement, SplitRound, WorkersMeasurement, WorkersRound } from './cluster-measurement.js';
import { offeredTokensPerSecond } from './cluster-scenarios.js';
import type { LoadMeasurement } from './measurement.js';

/**
 * The cluster scenarios in the report: the targets of issue 14 first, judged like the
 * one-instance ones on the middle round, then every figure of every round.
 */
export interface ClusterTargetRow {
  scenario: string;
  figure: string;
  value: string;
  target: string;
  pass: boolean | null;
  eachRound: string;
}

const format = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || Number.isNaN(value) ? 'n/a' : value.toLocaleString('en-US', { maximumFractionDigits: digits });

const signedMs = (value: number): string => {
  const tenths = Math.round(value * 10) / 10 || 0;
  return `${tenths >= 0 ? '+' : ''}${format(tenths)} ms`;
};

/** The middle round by score, worst counted last; of an even number the worse of the two in the middle. */
function middle<T>(rounds: T[], score: (round: T) => number | null, higherIsWorse: boolean): T | null {
  if (rounds.length === 0) return null;
  const badness = (round: T) => {
    const value = score(round);
    return value === null ? Number.POSITIVE_INFINITY : higherIsWorse ? value : -value;
  };
  return [...rounds].sort((a, b) => badness(a) - badness(b))[Math.floor(rounds.length / 2)]!;
}

const roundLabel = (round: { round: number; scenario: { rounds: number } }) => (round.scenario.rounds > 1 ? ` (round ${round.round} of ${round.scenario.rounds})` : '');

type SplitLayout = 'two' | 'twoOnTwoCores';

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

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

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
export function sharedCoreScaling(rounds: WorkersRound[]): { perCoreRatio: number; ratio: number } | null {
  const ratios = rounds.flatMap((round) => {
    const two = round.twoOnOneCore?.load.tokensPerSecond;
    const one = round.one?.load.tokensPerSecond;
    return two && one ? [two / one] : [];
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
      const chosen = middle(split, score, true)!;
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
        eachRound: split.length > 1 ? split.map((round) => { const each = score(round); return each === null ? 'n/a' : signedMs(each); }).join(', ') : '',
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
    const chosen = middle(workers, workersRatio, false)!;
    const ratio = workersRatio(chosen);
    const name = `${chosen.scenario.name} ${chosen.scenario.sessions}x${chosen.scenario.delayMs}ms`;
    rows.push({
      scenario: `${name}${roundLabel(chosen)}`,
      figure: `tokens/s, WORKERS=${chosen.scenario.workers} vs WORKERS=1, measured on this machine (cores ${chosen.two?.cores ?? 'n/a'} vs ${chosen.one?.cores ?? 'n/a'})`,
      value: ratio === null ? 'n/a' : `${format(chosen.two!.load.tokensPerSecond, 0)} vs ${format(chosen.one!.load.tokensPerSecond, 0)} (${format(ratio, 2)}x)`,
      target: '>= 1.5x',
      pass: ratio === null ? null : ratio >= 1.5,
      eachRound: workers.length > 1 ? workers.map((round) => { const each = workersRatio(round); return each === null ? 'n/a' : `${format(each, 2)}x`; }).join(', ') : '',
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
      eachRound: workers.length > 1 ? workers.map((round) => (round.twoOnOneCore && round.one ? `${format(round.twoOnOneCore.load.tokensPerSecond / round.one.load.tokensPerSecond, 2)}x` : 'n/a')).join(', ') : '',
    });
    const measured = workers.flatMap((round) => [round.one, round.two, round.twoOnOneCore].filter((measure): measure is WorkersMeasurement => measure !== null));
    const bad = measured.reduce((sum, measure) => sum + badTurns(measure.load), 0);
    const missing = measured.reduce((sum, measure) => sum + (measure.eventsMissing ?? Number.POSITIVE_INFINITY), 0);
    rows.push({ scenario: `${workers[0]!.scenario.name} all rounds`, figure: 'turns lost/wrong/out of order; events missing after the run', value: `${bad}; ${format(missing, 0)}`, target: '0; 0', pass: measured.length === workers.length * 3 ? bad === 0 && missing === 0 : null, eachRound: '' });
  }
  return rows;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

const pair = (summary: { p50: number | null; p99: number | null } | undefined, digits = 1) => (summary ? `${format(summary.p50, digits)} / ${format(summary.p99, digits)}` : 'n/a');
const loadCorePercent = (load: { clientCpuMs: number; durationMs: number }, fakeModelCpuMs: number) => format(((load.clientCpuMs + fakeModelCpuMs) / load.durationMs) * 100, 0);
const perProcess = (processes: ProcessUsage[] | undefined, show: (process: ProcessUsage) => string) => (processes ? processes.map((process) => `${process.name} ${show(process)}`).join(', ') : 'n/a');
const outcomes = (load: { outcomes: { lost: number; wrong: number; out_of_order: number }; turns: number } | undefined) =>
  load ? `${load.outcomes.lost}/${load.outcomes.wrong}/${load.outcomes.out_of_order} of ${load.turns}` : 'n/a';

function splitRows(round: SplitRound): string[][] {
  const name = `${round.scenario.name} ${round.scenario.sessions}x${round.scenario.delayMs}ms${roundLabel(round)}`;
  const { one, two, twoOnTwoCores, relay } = round;
  const row = (figure: string, show: (measure: SplitMeasurement) => string, relayValue = '-', difference = ''): string[] => [
    name,
    figure,
    twoOnTwoCores ? show(twoOnTwoCores) : 'n/a',
    two ? show(two) : 'n/a',
    one ? show(one) : 'n/a',
    relayValue,
    difference,
  ];
  const costs = (figure: 'gapMs' | 'firstTokenMs') =>
    (['twoOnTwoCores', 'two'] as const).map((layout) => { const cost = splitCost(round, layout, figure); return cost === null ? 'n/a' : signedMs(cost); }).join(' / ');
  return [
    row('tokens/s (each turn once)', (measure) => format(measure.load.tokensPerSecond, 0), format(relay?.load.tokensPerSecond, 0)),
    row('second socket (follower when split): gap per token p50 / p99 ms', (measure) => pair(measure.load.second.gapMs, 2), pair(relay?.load.gapMs, 2), costs('gapMs')),
    row('second socket: ttft p50 / p99 ms', (measure) => pair(measure.load.second.firstTokenMs), pair(relay?.load.firstTokenMs), costs('firstTokenMs')),
    row('second socket: ack p50 / p99 ms', (measure) => pair(measure.load.second.ackMs), pair(relay?.load.ackMs)),
    row('first socket (owner): gap per token p50 / p99 ms', (measure) => pair(measure.load.first.gapMs, 2)),
    row('first socket: ttft p50 / p99 ms', (measure) => pair(measure.load.first.firstTokenMs)),
    row('sender ack p99 ms, sent from the first / second socket', (measure) => `${format(measure.load.ackBySender.first.p99)} / ${format(measure.load.ackBySender.second.p99)}`),
    row('Parley CPU ms per 1,000 tokens (all processes)', (measure) => format(measure.cpuPer1000TokensMs), format(relay?.cpuPer1000TokensMs)),
    row('CPU ms per process', (measure) => perProcess(measure.processes, (process) => format(process.cpuMs, 0))),
    row('event loop delay p99 / max ms per process', (measure) => perProcess(measure.processes, (process) => `${format(process.eventLoopDelayMs?.p99)} / ${format(process.eventLoopDelayMs?.max)}`)),
    row('Redis server CPU ms / commands during the load', (measure) => (measure.redis ? `${format(measure.redis.cpuMs, 0)} / ${format(measure.redis.commands, 0)}` : 'n/a')),
    row('messages forwarded to the owner', (measure) => format(measure.forwardedMessages, 0)),
    row('fan-out lag mean ms (frames)', (measure) => (measure.fanoutLag ? `${format(measure.fanoutLag.meanMs, 2)} (${format(measure.fanoutLag.frames, 0)})` : '-')),
    row('load core CPU %', (measure) => loadCorePercent(measure.load, measure.fakeModelCpuMs), relay ? loadCorePercent(relay.load, relay.fakeModelCpuMs) : 'n/a'),
    row('turns lost/wrong/out of order', (measure) => outcomes(measure.load), outcomes(relay?.load)),
    row('frames outside a turn; events missing', (measure) => `${measure.load.unexpectedFrames}; ${format(measure.eventsMissing, 0)}`),
  ];
}

function workersRows(round: WorkersRound): string[][] {
  const name = `${round.scenario.name} ${round.scenario.sessions}x${round.scenario.delayMs}ms${roundLabel(round)}`;
  const { one, two, twoOnOneCore, relay } = round;
  const ratio = (value: (measure: WorkersMeasurement) => number | null) => {
    const a = two ? value(two) : null;
    const b = one ? value(one) : null;
    return a === null || b === null || b === 0 ? '' : `${format(a / b, 2)}x`;
  };
  const row = (figure: string, show: (measure: WorkersMeasurement) => string, relayValue = '-', compared = ''): string[] => [
    name,
    figure,
    two ? show(two) : 'n/a',
    twoOnOneCore ? show(twoOnOneCore) : 'n/a',
    one ? show(one) : 'n/a',
    relayValue,
    compared,
  ];
  return [
    row('cores allowed', (measure) => measure.cores, '0'),
    row('tokens/s', (measure) => format(measure.load.tokensPerSecond, 0), format(relay?.load.tokensPerSecond, 0), ratio((measure) => measure.load.tokensPerSecond)),
    row('ttft p50 / p99 ms', (measure) => pair(measure.load.firstTokenMs), pair(relay?.load.firstTokenMs)),
    row('gap per token p50 / p99 ms', (measure) => pair(measure.load.gapMs, 2), pair(relay?.load.gapMs, 2)),
    row('CPU ms per 1,000 tokens (every serving process)', (measure) => format(measure.cpuPer1000TokensMs), format(relay?.cpuPer1000TokensMs), ratio((measure) => measure.cpuPer1000TokensMs)),
    row('CPU ms per process (share of a core)', (measure) => perProcess(measure.processes, (process) => `${format(process.cpuMs, 0)} (${format((process.cpuMs / measure.load.durationMs) * 100, 0)}%)`)),
    row('tokens served and CPU ms per 1,000 tokens, per worker', (measure) =>
      perProcess(
        measure.processes.filter((process) => process.name !== 'primary'),
        (process) => (process.tokens ? `${format(process.tokens, 0)}: ${format(process.cpuMs / (process.tokens / 1000))}` : 'n/a'),
      ),
    ),
    row('RSS MB per process after the load', (measure) => perProcess(measure.processes, (process) => format(process.rssMb))),
    row('Redis server CPU ms / commands during the load', (measure) => (measure.redis ? `${format(measure.redis.cpuMs, 0)} / ${format(measure.redis.commands, 0)}` : 'n/a')),
    row('load core CPU % (load generator + fake model)', (measure) => loadCorePercent(measure.load, measure.fakeModelCpuMs), relay ? loadCorePercent(relay.load, relay.fakeModelCpuMs) : 'n/a'),
    row('turns lost/wrong/out of order; events missing', (measure) => `${outcomes(measure.load)}; ${format(measure.eventsMissing, 0)}`, outcomes(relay?.load)),
  ];
}

export function renderClusterSection(report: ClusterReport): string[] {
  const lines = ['', '## Several instances (issue 14): PostgreSQL and Redis', ''];
  if (report.skipped) return [...lines, `- ${report.skipped}`];
  lines.push(`- Redis: ${report.redisUrl}, a fresh key prefix per Parley run (its keys deleted after); PostgreSQL: a fresh database per Parley run.`, ...report.notes.map((note) => `- ${note}`), '');
  lines.push(
    table(
      ['scenario', 'figure', 'measured', 'target', 'pass/fail', 'each round'],
      evaluateClusterTargets(report).map((row) => [row.scenario, row.figure, row.value, row.target, row.pass === null ? 'n/a' : row.pass ? 'pass' : '**FAIL**', row.eachRound]),
    ),
  );
  if (report.split.length > 0) {
    lines.push(
      '',
      table(
        ['scenario', 'figure', 'two instances, a core each', 'two instances on one core', 'one instance', 'bare relay (one socket per session)', 'p99: a core each - one / one core - one'],
        report.split.flatMap(splitRows),
      ),
    );
  }
  if (report.workers.length > 0) {
    const workers = report.workers[0]!.scenario.workers;
    lines.push('', table(['scenario', 'figure', `WORKERS=${workers}`, `WORKERS=${workers} on one core`, 'WORKERS=1', 'bare relay', `WORKERS=${workers} / WORKERS=1`], report.workers.flatMap(workersRows)));
  }
  const problems = [...report.split, ...report.workers].flatMap((round) =>
    (
      [
        ['relay', round.relay],
        ['one', round.one],
        ['two', round.two],
        ['two on one core', 'twoOnOneCore' in round ? round.twoOnOneCore : null],
        ['two, a core each', 'twoOnTwoCores' in round ? round.twoOnTwoCores : null],
      ] as Array<[string, LoadMeasurement | SplitMeasurement | WorkersMeasurement | null]>
    ).flatMap(([which, measure]) => (measure ? measure.problems.map((text) => `${round.scenario.name}${roundLabel(round)} ${which}: ${text}`) : [])),
  );
  if (problems.length > 0) lines.push('', '### Problems seen in the cluster scenarios', '', ...problems.map((text) => `- ${text}`));
  return lines;
}
