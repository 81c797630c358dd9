import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killServerProcesses, startServerProcess } from '../support/server-process.js';
import { migratedDataDir } from '../support/pglite-template.js';
import { TestClient } from '../support/test-client.js';

describe('the server process', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await migratedDataDir('parley-process-');
  });
  afterAll(async () => {
    killServerProcesses();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops with one clear line and exit code 1 on a bad setting', async () => {
    const started = startServerProcess({ PORT: 'eighty', DATA_DIR: dataDir });
    started.ready.catch(() => undefined);
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/Invalid setting: PORT="eighty"/);
  });

  it('after kill -9 mid-conversation, finalizes the session at the next start', async () => {
    const port = await freePort();
    const environment = { PORT: String(port), DATA_DIR: dataDir, FINALIZE_GRACE_MS: '600000' };
    const first = startServerProcess(environment);
    await first.ready;
    const client = await TestClient.connect(`ws://127.0.0.1:${port}`, 'crashed-session');
    await client.ask('what is 9*9?');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startServerProcess(environment);
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
