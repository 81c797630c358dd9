import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Reads a V8 .cpuprofile (`node --cpu-prof`) and prints where the time went: the functions
 * with the most self time, and self time summed by package (node_modules/<name>, Parley's
 * own dist/<folder>, node: internals, the garbage collector...).
 * `tsx bench/summarize-profile.ts bench/results/profile/CPU....cpuprofile [top]`
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  functions: Array<{ name: string; where: string; selfMs: number; percent: number }>;
  packages: Array<{ name: string; selfMs: number; percent: number }>;
}

function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  const own = /\/dist\/([^/]+)\//.exec(url) ?? /\/src\/([^/]+)\//.exec(url);
  if (own) return `parley ${own[1]}/`;
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);
  const functions = new Map<string, { name: string; where: string; micros: number }>();
  const packages = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const entry = functions.get(key) ?? { name, where, micros: 0 };
    entry.micros += micros;
    functions.set(key, entry);
    const owner = packageOf(url, functionName);
    packages.set(owner, (packages.get(owner) ?? 0) + micros);
  }
  const percent = (micros: number) => Math.round((micros / total) * 1000) / 10;
  return {
    totalMs: Math.round(total / 1000),
    functions: [...functions.values()]
      .sort((a, b) => b.micros - a.micros)
      .slice(0, top)
      .map((entry) => ({ name: entry.name, where: entry.where, selfMs: Math.round(entry.micros / 1000), percent: percent(entry.micros) })),
    packages: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, selfMs: Math.round(micros / 1000), percent: percent(micros) })),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx bench/summarize-profile.ts FILE.cpuprofile [top]');
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(process.argv[3] ?? 25));
  const lines = [
    `Total sampled: ${summary.totalMs} ms`,
    '',
    '| self ms | % | package |',
    '|---|---|---|',
    ...summary.packages.map((entry) => `| ${entry.selfMs} | ${entry.percent} | ${entry.name} |`),
    '',
    '| self ms | % | function | where |',
    '|---|---|---|---|',
    ...summary.functions.map((entry) => `| ${entry.selfMs} | ${entry.percent} | ${entry.name} | ${entry.where} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
