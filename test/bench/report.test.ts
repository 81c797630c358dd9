import { describe, expect, it } from 'vitest';
import type { BenchReport, LoadMeasurement, ScenarioResult, StartupMeasurement } from '../../bench/measurement.js';
import { evaluateTargets, renderMarkdown } from '../../bench/report.js';
import { planFor, type LoadScenario, type StartupScenario } from '../../bench/scenarios.js';

const slowScenario = planFor('full').scenarios.find((scenario) => scenario.name === '1000x20ms') as LoadScenario;
const gapScenario = planFor('full').scenarios.find((scenario) => scenario.name === '100x20ms') as LoadScenario;

function measured(server: 'relay' | 'parley', figures: { ttftP99: number; ackP99: number; gapP99: number; tokensPerSecond: number }): LoadMeasurement {
  const summary = (p99: number) => ({ count: 1000, p50: p99 / 2, p99, max: p99 });
  return {
    server,
    ...(server === 'parley' ? { database: 'postgres' as const } : {}),
    load: {
      sessions: 1000,
      connectFailures: 0,
      turns: 1000,
      outcomes: { ok: 1000, lost: 0, wrong: 0, out_of_order: 0 },
      tokensPerSecond: figures.tokensPerSecond,
      tokensDelivered: 200_000,
      tokenFrames: 200_000,
      durationMs: 6000,
      ackMs: summary(figures.ackP99),
      firstTokenMs: summary(figures.ttftP99),
      gapMs: summary(figures.gapP99),
      clientCpuMs: 1000,
    },
    serverCpuMs: 6000,
    fakeModelCpuMs: 1000,
    cpuPer1000TokensMs: 30,
    peakRssMb: 300,
    eventLoopDelayMs: null,
    roundTripsPerTurn: server === 'parley' ? 1 : null,
    eventsMissing: server === 'parley' ? 0 : null,
    problems: [],
  };
}

function round(scenario: LoadScenario, number: number, relayTtft: number, parleyTtft: number, gapOver = 0): ScenarioResult {
  const figures = { ackP99: 200, gapP99: 25, tokensPerSecond: 30_000 };
  return {
    scenario,
    round: number,
    relay: measured('relay', { ...figures, ttftP99: relayTtft }),
    parley: { postgres: measured('parley', { ...figures, ttftP99: parleyTtft, gapP99: figures.gapP99 + gapOver }) },
  };
}

function reportOf(results: ScenarioResult[]): BenchReport {
  const machine = { cpus: 2, cpuModel: 'test', node: 'v20', memoryGb: 24, kernel: 'test' };
  return { date: '2026-11-25', command: 'npm run bench', mode: 'full', machine, pinning: 'test', openFiles: 1024, notes: [], results, durationSeconds: 1 };
}

describe('judging a target over several rounds', () => {
  it('takes the middle round, so one slow run of the relay or of Parley does not decide it, and lists every round', () => {
    // ttft ratios by round: 1.6 (the relay was fast that round), 1.2, 1.3.
    const report = reportOf([round(slowScenario, 1, 500, 800), round(slowScenario, 2, 700, 840), round(slowScenario, 3, 600, 780)]);

    const ttft = evaluateTargets(report).find((row) => row.figure === 'ttft p99 ms')!;
    expect(ttft).toMatchObject({ scenario: '1000x20ms postgres (round 3 of 3)', parley: 780, relay: 600, ratio: 1.3, pass: true, eachRound: '1.6x, 1.2x, 1.3x' });
  });

  it('fails a target that the middle round fails, and judges the gap by its difference from the relay', () => {
    const report = reportOf([
      round(slowScenario, 1, 500, 800),
      round(slowScenario, 2, 500, 780),
      round(slowScenario, 3, 700, 840),
      round(gapScenario, 1, 10, 10, 7),
      round(gapScenario, 2, 10, 10, 2),
      round(gapScenario, 3, 10, 10, 6),
    ]);

    const rows = evaluateTargets(report);
    expect(rows.find((row) => row.figure === 'ttft p99 ms')).toMatchObject({ ratio: 1.56, pass: false, eachRound: '1.6x, 1.56x, 1.2x' });
    expect(rows.find((row) => row.figure === 'gap per token p99 ms')).toMatchObject({ scenario: '100x20ms postgres (round 3 of 3)', parley: 31, relay: 25, pass: false, eachRound: '+7 ms, +2 ms, +6 ms' });
    expect(renderMarkdown(report)).toContain('| 1000x20ms postgres (round 2 of 3) | ttft p99 ms | 780 | 500 | 1.56 | <= 1.5x relay | **FAIL** | 1.6x, 1.56x, 1.2x |');
  });
});

describe('an idle server right after start', () => {
  const start = (rssMb: number) => ({ readyMs: 900, rssAtReadyKb: rssMb * 1024, rssSettledKb: rssMb * 1024, settleMs: 10_000, peakTreeRssKb: rssMb * 1024 });
  const startup = (server: 'relay' | 'parley', first: number, restart: number, database?: 'pglite' | 'postgres'): StartupMeasurement => ({
    server,
    ...(database ? { database } : {}),
    first: start(first),
    restart: start(restart),
    problems: [],
  });

  it("is judged against its database's own limit, on the first start and on a restart, beside the relay", () => {
    const scenario = planFor('full').scenarios.find((candidate) => candidate.kind === 'startup') as StartupScenario;
    const result: ScenarioResult = { scenario, round: 1, relay: startup('relay', 80, 85), parley: { pglite: startup('parley', 210, 190, 'pglite'), postgres: startup('parley', 110, 95, 'postgres') } };

    const rows = evaluateTargets(reportOf([result])).filter((row) => row.figure === 'RSS MB right after start');
    expect(rows.map((row) => [row.scenario, row.parley, row.relay, row.target, row.pass])).toStrictEqual([
      ['startup-memory pglite (first start)', 210, 80, '<= 200 MB', false],
      ['startup-memory pglite (restart)', 190, 85, '<= 200 MB', true],
      ['startup-memory postgres (first start)', 110, 80, '<= 100 MB', false],
      ['startup-memory postgres (restart)', 95, 85, '<= 100 MB', true],
    ]);
    expect(renderMarkdown(reportOf([result]))).toContain('| startup-memory pglite (restart) | peak RSS MB while starting (with children) | 190 | 85 | 2.24 |');
  });
});
