import type { ClusterReport, ProcessUsage, SplitMeasurement, SplitRound, WorkersMeasurement, WorkersRound } from './cluster-measurement.js';
import { evaluateClusterTargets, roundLabel, signedMs, splitCost } from './cluster-targets.js';
import type { LoadMeasurement } from './measurement.js';
import { format, table } from './report-format.js';

/** The cluster scenarios in the report: the targets (cluster-targets.ts), then every figure of every round. */
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
