import { renderClusterSection } from './cluster-report.js';
import type { BenchReport, IdleMeasurement, LoadMeasurement, ScenarioResult, StartFigures, StartupMeasurement } from './measurement.js';
import { listRounds, middleRound } from './middle-round.js';
import { format, table } from './report-format.js';
import type { DatabaseKind } from './scenarios.js';

/**
 * The results as markdown: the issue's targets first (each against the bare relay measured
 * in the same run), then every figure of every scenario.
 */
interface TargetRow {
  scenario: string;
  figure: string;
  parley: number | null;
  relay: number | null;
  ratio: number | null;
  target: string;
  pass: boolean | null;
  /** The figure the target is judged on, per round, when the scenario had several. */
  eachRound: string;
}

const ratioOf = (parley: number | null | undefined, relay: number | null | undefined): number | null =>
  parley === null || parley === undefined || relay === null || relay === undefined || relay === 0 ? null : parley / relay;

/** Every round of the scenario a target is judged on; in quick mode the largest there is stands in for 1,000. */
function pick(results: ScenarioResult[], sessions: number[], delayMs: number): ScenarioResult[] {
  for (const count of sessions) {
    const rounds = results.filter((result) => result.scenario.name === `${count}x${delayMs}ms`);
    if (rounds.length > 0) return rounds;
  }
  return [];
}

export function evaluateTargets(report: BenchReport): TargetRow[] {
  const rows: TargetRow[] = [];
  const databases = [...new Set(report.results.flatMap((result) => Object.keys(result.parley) as DatabaseKind[]))];
  const big = [1000, 100, 10, 2];
  const medium = [100, 10, 2];
  for (const database of databases) {
    const label = (result: ScenarioResult) => `${result.scenario.name} ${database}${roundLabel(result)}`;
    const loadPair = (result: ScenarioResult | undefined) => {
      if (!result || result.scenario.kind !== 'load') return null;
      const parley = result.parley[database] as LoadMeasurement | undefined;
      return parley ? { parley, relay: result.relay as LoadMeasurement | null, result } : null;
    };
    const pairsOf = (rounds: ScenarioResult[]) => rounds.flatMap((result) => {
      const pair = loadPair(result);
      return pair ? [pair] : [];
    });
    type Pair = NonNullable<ReturnType<typeof loadPair>>;
    /** A load target: each round scored from Parley's and the relay's figure, judged on the middle round. */
    const judge = (
      pairs: Pair[],
      figure: string,
      target: string,
      value: (measure: LoadMeasurement) => number | null,
      rule: { score: (parley: number | null, relay: number | null) => number | null; passes: (score: number) => boolean; show: (score: number) => string; higherIsWorse: boolean },
    ) => {
      const scoreOf = (pair: Pair) => rule.score(value(pair.parley), pair.relay ? value(pair.relay) : null);
      const middle = middleRound(pairs, scoreOf, rule.higherIsWorse);
      if (!middle) return;
      const { parley, relay, result } = middle.round;
      const score = scoreOf(middle.round);
      const relayValue = relay ? value(relay) : null;
      rows.push({ scenario: label(result), figure, parley: value(parley), relay: relayValue, ratio: ratioOf(value(parley), relayValue), target, pass: score === null ? null : rule.passes(score), eachRound: listRounds(middle.scores, rule.show) });
    };
    const ratioRule = (passes: (ratio: number) => boolean, higherIsWorse = true) => ({ score: ratioOf, passes, show: (ratio: number) => `${format(ratio, 2)}x`, higherIsWorse });
    const overRelayMs = (parley: number | null, relay: number | null) => (parley === null || relay === null ? null : parley - relay);
    // Rounded first, so that a gap a hair under the relay's prints as +0, not -0.
    const showMs = (over: number) => {
      const tenths = Math.round(over * 10) / 10 || 0;
      return `${tenths >= 0 ? '+' : ''}${format(tenths, 1)} ms`;
    };

    for (const delay of [0, 20]) {
      judge(pairsOf(pick(report.results, big, delay)), 'tokens/s', '>= 0.8x relay', (measure) => measure.load.tokensPerSecond, ratioRule((ratio) => ratio >= 0.8, false));
    }
    const slow = pairsOf(pick(report.results, big, 20));
    judge(slow, 'ttft p99 ms', '<= 1.5x relay', (measure) => measure.load.firstTokenMs.p99, ratioRule((ratio) => ratio <= 1.5));
    judge(slow, 'ack p99 ms', '<= 2x relay', (measure) => measure.load.ackMs.p99, ratioRule((ratio) => ratio <= 2));
    judge(slow, 'server peak RSS MB', '<= 2x relay', (measure) => measure.peakRssMb, ratioRule((ratio) => ratio <= 2));
    judge(pairsOf(pick(report.results, medium, 20)), 'gap per token p99 ms', '<= relay + 5 ms', (measure) => measure.load.gapMs.p99, {
      score: overRelayMs,
      passes: (over) => over <= 5,
      show: showMs,
      higherIsWorse: true,
    });
    const idle = report.results.filter((result) => result.scenario.kind === 'idle').at(-1);
    const idleParley = idle?.parley[database] as IdleMeasurement | undefined;
    if (idle && idleParley) {
      const relay = idle.relay as IdleMeasurement | null;
      rows.push({ scenario: label(idle), figure: 'KB per idle session', parley: idleParley.perSessionKb, relay: relay?.perSessionKb ?? null, ratio: ratioOf(idleParley.perSessionKb, relay?.perSessionKb), target: '<= 12 KB', pass: idleParley.perSessionKb <= 12 && idleParley.connected === idleParley.sessions, eachRound: '' });
    }
    const startup = report.results.filter((result) => result.scenario.kind === 'startup').at(-1);
    const startupParley = startup?.parley[database] as StartupMeasurement | undefined;
    if (startup && startupParley) {
      const relay = startup.relay as StartupMeasurement | null;
      const limitMb = startupRssTargetMb[database];
      for (const which of ['first', 'restart'] as const) {
        const parleyMb = startupParley[which].rssAtReadyKb / 1024;
        const relayMb = relay ? relay[which].rssAtReadyKb / 1024 : null;
        rows.push({ scenario: `${label(startup)} (${startNames[which]})`, figure: 'RSS MB right after start', parley: parleyMb, relay: relayMb, ratio: ratioOf(parleyMb, relayMb), target: `<= ${limitMb} MB`, pass: parleyMb <= limitMb, eachRound: '' });
      }
    }
    const loads = report.results.flatMap((result) => {
      const pair = loadPair(result);
      return pair ? [pair] : [];
    });
    if (loads.length > 0) {
      const worstTrips = Math.max(...loads.map((pair) => pair.parley.roundTripsPerTurn ?? Number.POSITIVE_INFINITY));
      rows.push({ scenario: `all load ${database}`, figure: 'DB round trips per turn (worst)', parley: worstTrips, relay: null, ratio: null, target: '<= 2', pass: worstTrips <= 2, eachRound: '' });
      const bad = loads.reduce((sum, pair) => sum + pair.parley.load.outcomes.lost + pair.parley.load.outcomes.wrong + pair.parley.load.outcomes.out_of_order, 0);
      const relayBad = loads.reduce((sum, pair) => sum + (pair.relay ? pair.relay.load.outcomes.lost + pair.relay.load.outcomes.wrong + pair.relay.load.outcomes.out_of_order : 0), 0);
      rows.push({ scenario: `all load ${database}`, figure: 'turns lost/wrong/out of order', parley: bad, relay: relayBad, ratio: null, target: '0', pass: bad === 0, eachRound: '' });
      const missing = loads.reduce((sum, pair) => sum + (pair.parley.eventsMissing ?? Number.POSITIVE_INFINITY), 0);
      rows.push({ scenario: `all load ${database}`, figure: 'events missing after the run', parley: missing, relay: null, ratio: null, target: '0', pass: missing === 0, eachRound: '' });
    }
  }
  return rows;
}

/** Issue 20: an idle server right after start. */
const startupRssTargetMb: Record<DatabaseKind, number> = { pglite: 200, postgres: 100 };
const startNames = { first: 'first start', restart: 'restart' } as const;

/** ` (round 2 of 3)` for a scenario measured in several rounds, else nothing. */
export function roundLabel(result: Pick<ScenarioResult, 'scenario' | 'round'>): string {
  const rounds = result.scenario.kind === 'load' ? result.scenario.rounds : 1;
  return rounds > 1 ? ` (round ${result.round} of ${rounds})` : '';
}

const loadCorePercent = (measure: LoadMeasurement) => ((measure.load.clientCpuMs + measure.fakeModelCpuMs) / measure.load.durationMs) * 100;

function loadRows(result: Extract<ScenarioResult, { scenario: { kind: 'load' } }>, database: DatabaseKind): string[][] {
  const parley = result.parley[database];
  const relay = result.relay;
  if (!parley) return [];
  const name = `${result.scenario.name} ${database}${roundLabel(result)}`;
  const outcomes = (measure: LoadMeasurement | null) =>
    measure ? `${measure.load.outcomes.lost}/${measure.load.outcomes.wrong}/${measure.load.outcomes.out_of_order} of ${measure.load.turns}` : 'n/a';
  const row = (figure: string, parleyValue: number | null | undefined, relayValue: number | null | undefined, digits = 1): string[] => [
    name,
    figure,
    format(parleyValue, digits),
    format(relayValue, digits),
    format(ratioOf(parleyValue, relayValue), 2),
  ];
  return [
    row('tokens/s', parley.load.tokensPerSecond, relay?.load.tokensPerSecond, 0),
    row('ack p50 / p99 ms', parley.load.ackMs.p50, relay?.load.ackMs.p50).map((cell, index) => (index === 2 ? `${cell} / ${format(parley.load.ackMs.p99)}` : index === 3 ? `${cell} / ${format(relay?.load.ackMs.p99)}` : index === 4 ? format(ratioOf(parley.load.ackMs.p99, relay?.load.ackMs.p99), 2) : cell)),
    row('ttft p50 / p99 ms', parley.load.firstTokenMs.p50, relay?.load.firstTokenMs.p50).map((cell, index) => (index === 2 ? `${cell} / ${format(parley.load.firstTokenMs.p99)}` : index === 3 ? `${cell} / ${format(relay?.load.firstTokenMs.p99)}` : index === 4 ? format(ratioOf(parley.load.firstTokenMs.p99, relay?.load.firstTokenMs.p99), 2) : cell)),
    row('gap per token p50 / p99 ms', parley.load.gapMs.p50, relay?.load.gapMs.p50, 2).map((cell, index) => (index === 2 ? `${cell} / ${format(parley.load.gapMs.p99, 2)}` : index === 3 ? `${cell} / ${format(relay?.load.gapMs.p99, 2)}` : index === 4 ? format(ratioOf(parley.load.gapMs.p99, relay?.load.gapMs.p99), 2) : cell)),
    row('server CPU ms per 1,000 tokens', parley.cpuPer1000TokensMs, relay?.cpuPer1000TokensMs),
    row('server peak RSS MB', parley.peakRssMb, relay?.peakRssMb),
    row('event loop delay p99 / max ms', parley.eventLoopDelayMs?.p99, relay?.eventLoopDelayMs?.p99).map((cell, index) => (index === 2 ? `${cell} / ${format(parley.eventLoopDelayMs?.max)}` : index === 3 ? `${cell} / ${format(relay?.eventLoopDelayMs?.max)}` : cell)),
    row('load core CPU % (load generator + fake model)', loadCorePercent(parley), relay ? loadCorePercent(relay) : null, 0),
    [name, 'DB round trips per turn', format(parley.roundTripsPerTurn, 2), '-', ''],
    [name, 'turns lost/wrong/out of order', outcomes(parley), outcomes(relay), ''],
    [name, 'events missing after the run', format(parley.eventsMissing, 0), '-', ''],
  ];
}

function idleRows(result: Extract<ScenarioResult, { scenario: { kind: 'idle' } }>, database: DatabaseKind): string[][] {
  const parley = result.parley[database];
  const relay = result.relay;
  if (!parley) return [];
  const name = `${result.scenario.name} ${database}`;
  return [
    [name, 'sessions connected', `${parley.connected} in ${format(parley.connectMs / 1000)} s`, relay ? `${relay.connected} in ${format(relay.connectMs / 1000)} s` : 'n/a', ''],
    [name, 'RSS growth KB per session', format(parley.perSessionKb, 2), format(relay?.perSessionKb, 2), format(ratioOf(parley.perSessionKb, relay?.perSessionKb), 2)],
    [name, 'JS heap growth KB per session', format(parley.heapPerSessionKb, 2), format(relay?.heapPerSessionKb, 2), format(ratioOf(parley.heapPerSessionKb, relay?.heapPerSessionKb), 2)],
    [name, 'server RSS MB before / holding', `${format(parley.baselineRssKb / 1024)} / ${format(parley.heldRssKb / 1024)}`, relay ? `${format(relay.baselineRssKb / 1024)} / ${format(relay.heldRssKb / 1024)}` : 'n/a', ''],
  ];
}

function startupRows(result: Extract<ScenarioResult, { scenario: { kind: 'startup' } }>, database: DatabaseKind): string[][] {
  const parley = result.parley[database];
  const relay = result.relay;
  if (!parley) return [];
  const megabytes = (kb: number | undefined) => (kb === undefined ? null : kb / 1024);
  return (['first', 'restart'] as const).flatMap((which) => {
    const name = `${result.scenario.name} ${database} (${startNames[which]})`;
    const figures = (measure: StartupMeasurement | null): StartFigures | undefined => measure?.[which];
    const row = (figure: string, value: (start: StartFigures) => number | null, digits = 1): string[] => {
      const parleyValue = value(parley[which]);
      const relayStart = figures(relay);
      const relayValue = relayStart ? value(relayStart) : null;
      return [name, figure, format(parleyValue, digits), format(relayValue, digits), format(ratioOf(parleyValue, relayValue), 2)];
    };
    return [
      row('ms to first answer', (start) => start.readyMs, 0),
      row('RSS MB right after start', (start) => megabytes(start.rssAtReadyKb)),
      row(`RSS MB ${parley[which].settleMs / 1000} s later`, (start) => megabytes(start.rssSettledKb)),
      row('peak RSS MB while starting (with children)', (start) => megabytes(start.peakTreeRssKb)),
    ];
  });
}

export function renderMarkdown(report: BenchReport): string {
  const targets = evaluateTargets(report);
  const databases = [...new Set(report.results.flatMap((result) => Object.keys(result.parley) as DatabaseKind[]))];
  const details: string[][] = [];
  for (const result of report.results) {
    for (const database of databases) {
      if (result.scenario.kind === 'load') details.push(...loadRows(result as Extract<ScenarioResult, { scenario: { kind: 'load' } }>, database));
      else if (result.scenario.kind === 'startup') details.push(...startupRows(result as Extract<ScenarioResult, { scenario: { kind: 'startup' } }>, database));
      else details.push(...idleRows(result as Extract<ScenarioResult, { scenario: { kind: 'idle' } }>, database));
    }
  }
  const problems = report.results.flatMap((result) =>
    [result.relay, ...(Object.values(result.parley) as Array<LoadMeasurement | IdleMeasurement | StartupMeasurement>)].flatMap((measure) =>
      measure ? measure.problems.map((text: string) => `${result.scenario.name}${roundLabel(result)} ${measure.server}${measure.database ? ` ${measure.database}` : ''}: ${text}`) : [],
    ),
  );
  return [
    `# Parley benchmark (${report.mode})`,
    '',
    `- Date: ${report.date}; took ${report.durationSeconds} s`,
    `- Command: \`${report.command}\``,
    `- Machine: ${report.machine.cpus} CPUs (${report.machine.cpuModel}), ${report.machine.memoryGb} GB, Linux ${report.machine.kernel}, Node ${report.machine.node}`,
    `- Pinning: ${report.pinning}; open files per process: ${report.openFiles}`,
    ...report.notes.map((note) => `- ${note}`),
    // Nothing of issue 5 when only the cluster scenarios ran (`--only cluster`).
    ...(report.results.length === 0
      ? []
      : [
          '',
          '## Targets (issue 5), Parley against the bare relay measured in the same run',
          '',
          'Where a scenario ran in several rounds (relay, then Parley, then again), a target is judged on the round in the middle by its figure; every round is listed.',
          '',
          table(
            ['scenario', 'figure', 'Parley', 'bare relay', 'ratio', 'target', 'pass/fail', 'each round'],
            targets.map((row) => [row.scenario, row.figure, format(row.parley, 2), format(row.relay, 2), format(row.ratio, 2), row.target, row.pass === null ? 'n/a' : row.pass ? 'pass' : '**FAIL**', row.eachRound]),
          ),
          '',
          '## Every figure',
          '',
          table(['scenario', 'figure', 'Parley', 'bare relay', 'ratio'], details),
        ]),
    ...(problems.length > 0 ? ['', '## Problems seen', '', ...problems.map((text) => `- ${text}`)] : []),
    ...(report.cluster ? renderClusterSection(report.cluster) : []),
    '',
  ].join('\n');
}
