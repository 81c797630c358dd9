import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface ServerProcess {
  child: ChildProcess;
  /**
   * Resolves at the 'Parley is ready' log line (with WORKERS, each worker logs one: at the
   * `readyLines`-th); rejects if the process exits first.
   */
  ready: Promise<void>;
  exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
}

const children = new Set<ChildProcess>();

/**
 * The real entry point as `npm start` runs it, in its own process (through tsx, unbuilt), with
 * only the given environment (and PATH): never the developer's settings.
 */
export function startServerProcess(environment: Record<string, string>, { readyLines = 1 }: { readyLines?: number } = {}): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { PATH: process.env.PATH ?? '', OFFLINE_TOKEN_DELAY_MS: '1', LOG_LEVEL: 'info', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.split('Parley is ready').length > readyLines) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before it was ready:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => output };
}

/** For afterAll: a failed assertion must not leave a server running. */
export function killServerProcesses(): void {
  for (const child of children) child.kill('SIGKILL');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
