import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport, IdleMeasurement, LoadMeasurement, StartupMeasurement } from '../../bench/measurement.js';

const repositoryRoot = new URL('../..', import.meta.url).pathname;
const outDir = mkdtempSync(join(tmpdir(), 'parley-bench-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run bench', () => {
  it('measures the bare relay and Parley on a tiny plan and writes the table and the JSON', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--tiny', '--out', outDir], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, output).toBe(0);

    const report = JSON.parse(readFileSync(join(outDir, 'latest.json'), 'utf8')) as BenchReport;
    expect(report.results.map((result) => `${result.scenario.name} #${result.round}`)).toStrictEqual(['2x20ms #1', '2x20ms #2', '20 idle #1', 'startup-memory #1']);
    const [load, secondRound, idle, startup] = report.results;
    for (const measured of [load!.relay, load!.parley.pglite, secondRound!.relay, secondRound!.parley.pglite] as LoadMeasurement[]) {
      expect(measured.load.outcomes).toStrictEqual({ ok: 4, lost: 0, wrong: 0, out_of_order: 0 });
      expect(measured.load.tokensDelivered).toBe(20);
    }
    const parley = load!.parley.pglite as LoadMeasurement;
    expect(parley.eventsMissing).toBe(0);
    expect(parley.roundTripsPerTurn).toBeGreaterThan(0);
    expect((idle!.parley.pglite as IdleMeasurement).connected).toBe(20);
    expect((idle!.relay as IdleMeasurement).connected).toBe(20);
    for (const started of [startup!.relay, startup!.parley.pglite] as StartupMeasurement[]) {
      for (const start of [started.first, started.restart]) {
        expect(start.readyMs).toBeGreaterThan(0);
        expect(start.rssAtReadyKb).toBeGreaterThan(10_000);
        expect(start.peakTreeRssKb).toBeGreaterThanOrEqual(start.rssAtReadyKb);
      }
    }

    const markdown = readFileSync(join(outDir, 'latest.md'), 'utf8');
    expect(markdown).toContain('| scenario | figure | Parley | bare relay | ratio | target | pass/fail |');
    expect(markdown).toContain('| all load pglite | events missing after the run | 0 | n/a | n/a | 0 | pass |');
    expect(markdown).toMatch(/\| startup-memory pglite \(first start\) \| RSS MB right after start \| [\d.,]+ \| [\d.,]+ \| [\d.,]+ \| <= 200 MB \| (pass|\*\*FAIL\*\*) \|/);
  }, 180_000);
});
