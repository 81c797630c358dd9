import { mkdir, rm, stat } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const webDir = join(root, 'web');
const builtIndex = join(root, 'dist/web/index.html');
const lockDir = join(root, 'dist/.web-build-lock');

/**
 * Builds the page into dist/web/ unless the build there is newer than every file under
 * web/. Test files run in parallel forks, so one builds while the others wait on a lock.
 */
export async function buildWebPage(): Promise<void> {
  if (isFresh()) return;
  await mkdir(join(root, 'dist'), { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch {
      if (await lockIsStale()) await rm(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (!isFresh()) await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function isFresh(): boolean {
  let builtAt: number;
  try {
    builtAt = statSync(builtIndex).mtimeMs;
  } catch {
    return false;
  }
  return newestSource(webDir) <= builtAt;
}

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** A lock left by a crashed run: nobody builds for a minute. */
async function lockIsStale(): Promise<boolean> {
  try {
    return Date.now() - (await stat(lockDir)).mtimeMs > 60_000;
  } catch {
    return false;
  }
}
