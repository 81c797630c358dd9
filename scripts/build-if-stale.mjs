// Runs before `npm start`: builds the server and the page only when one of their sources is
// newer than what was built, so a restart after a crash or a deploy starts at once, and a
// fresh clone still builds on its first start.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new globalThis.URL('..', import.meta.url));
const settingsFiles = ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const targets = [
  { script: 'build:server', output: 'dist/main.js', sources: ['src', ...settingsFiles] },
  { script: 'build:web', output: 'dist/web/index.html', sources: ['web', 'src/protocol', 'src/http/session-schemas.ts', ...settingsFiles] },
];

/**
 * The newest modification time under `path` (0 when it does not exist).
 * @param {string} path
 * @returns {number}
 */
function newest(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

for (const target of targets) {
  const built = newest(join(root, target.output));
  if (built > 0 && built >= Math.max(...target.sources.map((source) => newest(join(root, source))))) continue;
  process.stderr.write(`parley: ${target.output} is missing or older than its sources: npm run ${target.script}\n`);
  const result = spawnSync('npm', ['run', target.script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
