import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/test-client.js';

const children = new Set<ChildProcess>();

/** The real entry point as `npm start` runs it, in its own process (through tsx, unbuilt). */
function startProcess(environment: Record<string, string>): { child: ChildProcess; ready: Promise<void>; exited: Promise<number | null>; output: () => string } {
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
      if (output.includes('Parley is ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before it was ready:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => output };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the server process', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-process-'));
  });
  afterAll(async () => {
    // A failed assertion must not leave a server running.
    for (const child of children) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops with one clear line and exit code 1 on a bad setting', async () => {
    const started = startProcess({ PORT: 'eighty', DATA_DIR: dataDir });
    started.ready.catch(() => undefined);
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/Invalid setting: PORT="eighty"/);
  });

  it('after kill -9 mid-conversation, finalizes the session at the next start', async () => {
    const port = await freePort();
    const environment = { PORT: String(port), DATA_DIR: dataDir, FINALIZE_GRACE_MS: '600000' };
    const first = startProcess(environment);
    await first.ready;
    const client = await TestClient.connect(`ws://127.0.0.1:${port}`, 'crashed-session');
    await client.ask('what is 9*9?');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startProcess(environment);
    await second.ready;
    const response = await fetch(`http://127.0.0.1:${port}/api/sessions/crashed-session`);
    const session = (await response.json()) as { is_active: boolean; summary: string; metadata: Record<string, unknown> };
    expect(session.is_active).toBe(false);
    expect(session.summary).toMatch(/9\*9|81/);
    expect(session.metadata).toMatchObject({ message_count: 2, turns: 1 });

    // SIGTERM: graceful, sockets closed with 1001, exit code 0.
    const resumed = await TestClient.connect(`ws://127.0.0.1:${port}`, 'crashed-session');
    expect(resumed.session.resumed).toBe(true);
    second.child.kill('SIGTERM');
    expect(await resumed.closed()).toBe(1001);
    expect(await second.exited).toBe(0);
  }, 60_000);
});
