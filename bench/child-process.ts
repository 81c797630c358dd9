import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * A process of the benchmark (server, relay, fake model, load generator), started through
 * bash so that its open-file limit can be raised for 10,000 sockets, and pinned to one core
 * with taskset when taskset works. `exec` keeps the pid: it is the measured process's own.
 */
export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves with the first stdout line matching `pattern` (seen before or after the call). */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export const wantedOpenFiles = 65_536;

let tasksetWorks: boolean | undefined;

export function canPin(): boolean {
  tasksetWorks ??= spawnSync('taskset', ['-c', '0', 'true']).status === 0 && spawnSync('taskset', ['-c', '1', 'true']).status === 0;
  return tasksetWorks;
}

/** The open-file limit a child gets: as high as allowed, up to `wantedOpenFiles`. */
export function openFilesLimit(): number {
  const result = spawnSync('bash', ['-c', `ulimit -n ${wantedOpenFiles} 2>/dev/null || ulimit -n $(ulimit -Hn); ulimit -n`], { encoding: 'utf8' });
  return Number(result.stdout.trim());
}

export function startChild(options: {
  name: string;
  command: string[];
  env?: Record<string, string>;
  /** Core (or taskset list, `0,1`) to pin to; ignored when taskset is missing. */
  core?: number | string;
  /** Every stdout and stderr line is appended here. */
  logFile: string;
  stdin?: boolean;
}): Child {
  const pinned = options.core !== undefined && canPin() ? ['taskset', '-c', String(options.core)] : [];
  const script = `ulimit -n ${wantedOpenFiles} 2>/dev/null || ulimit -n $(ulimit -Hn); exec "$@"`;
  const child = spawn('bash', ['-c', script, 'bash', ...pinned, ...options.command], {
    env: { ...process.env, ...options.env },
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`--- ${options.name}: ${[...pinned, ...options.command].join(' ')}\n`);
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    if (lines.length > 1000) lines.shift();
    log.write(`${line}\n`);
    for (const listener of listeners) listener(line);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => log.write(`[stderr] ${line}\n`));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return {
    name: options.name,
    pid: child.pid!,
    process: child,
    exited,
    waitForLine(pattern, timeoutMs) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const listener = (line: string) => {
          if (!pattern.test(line)) return;
          done();
          resolve(line);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${options.name}: no line matching ${pattern} within ${timeoutMs} ms (log: ${options.logFile})`));
        }, timeoutMs);
        const onExit = (code: number | null) => {
          done();
          reject(new Error(`${options.name} exited (${code}) before printing ${pattern} (log: ${options.logFile})`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(listener);
          void exited.then(() => undefined);
          child.off('exit', onExit);
        };
        listeners.add(listener);
        child.on('exit', onExit);
      });
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}
