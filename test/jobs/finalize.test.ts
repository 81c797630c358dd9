import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { migratedDataDir } from '../support/pglite-template.js';
import { eventually } from '../support/eventually.js';

let counter = 0;
const newId = () => `fin-${process.pid}-${++counter}`;

describe('finalize after the last socket leaves', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ FINALIZE_GRACE_MS: '150' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('writes summary, metrics, end_time and is_active false once the grace period passes', async () => {
    const sessionId = newId();
    const client = await TestClient.connect(server.wsUrl, sessionId, { user_id: 'ada' });
    await client.ask('what is 12*(3+4)?');
    await client.close();
    const store = server.app.parley.store;
    expect((await store.getSession(sessionId))?.is_active).toBe(true);
    const session = await eventually(async () => {
      const row = await store.getSession(sessionId);
      return row && !row.is_active ? row : undefined;
    });
    expect(session.user_id).toBe('ada');
    expect(session.end_time).not.toBeNull();
    expect(session.summary).toMatch(/12\*\(3\+4\)|84/);
    expect(session.metadata).toMatchObject({ message_count: 2, turns: 1, tool_calls: 1, summary_method: 'model' });
    expect(session.metadata.duration_seconds).toEqual(expect.any(Number));
    expect(session.metadata.ttft_ms_mean).toEqual(expect.any(Number));
    expect(session.metadata.ttft_ms_p95).toEqual(expect.any(Number));
    expect(session.metadata.completion_tokens).toBeGreaterThan(0);
  });

  it('does not finalize when a socket comes back within the grace period', async () => {
    const sessionId = newId();
    const first = await TestClient.connect(server.wsUrl, sessionId);
    await first.ask('hello');
    await first.close();
    const second = await TestClient.connect(server.wsUrl, sessionId);
    await server.app.parley.finalizer.runDue();
    // Past the grace period with a socket attached: still active.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.app.parley.finalizer.runDue();
    expect((await server.app.parley.store.getSession(sessionId))?.is_active).toBe(true);
    await second.close();
    await eventually(async () => (await server.app.parley.store.getSession(sessionId))?.is_active === false);
  });

  it('reopens a finalized session and finalizes it anew over the whole conversation', async () => {
    const sessionId = newId();
    const store = server.app.parley.store;
    const first = await TestClient.connect(server.wsUrl, sessionId);
    await first.ask('what is 2+3?');
    await first.close();
    const ended = await eventually(async () => {
      const row = await store.getSession(sessionId);
      return row && !row.is_active ? row : undefined;
    });
    const second = await TestClient.connect(server.wsUrl, sessionId);
    expect(second.session.resumed).toBe(true);
    const reopened = await store.getSession(sessionId);
    expect(reopened).toMatchObject({ is_active: true, end_time: null });
    await second.ask('what is 7*6?');
    await second.close();
    const again = await eventually(async () => {
      const row = await store.getSession(sessionId);
      return row && !row.is_active && row.end_time !== ended.end_time ? row : undefined;
    });
    expect(again.metadata).toMatchObject({ message_count: 4, turns: 2, tool_calls: 2 });
    expect(again.summary).toMatch(/2\+3|5/);
    expect(again.summary).toMatch(/7\*6|42/);
  });

  it('finalizes exactly once even when several passes race for the same session', async () => {
    const finalizedCount = async () => Number(/parley_sessions_finalized_total (\d+)/.exec((await server.app.inject({ url: '/metrics' })).body)?.[1]);
    const sessionId = newId();
    const client = await TestClient.connect(server.wsUrl, sessionId);
    await client.ask('hi');
    const before = await finalizedCount();
    await client.close();
    const { finalizer, store } = server.app.parley;
    await eventually(async () => {
      await Promise.all([finalizer.runDue(), finalizer.runDue(), finalizer.runDue()]);
      return (await store.getSession(sessionId))?.is_active === false;
    });
    await Promise.all([finalizer.runDue(), finalizer.runDue()]);
    expect(await finalizedCount()).toBe(before + 1);
  });
});

describe('crash recovery', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await migratedDataDir('parley-crash-');
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finalizes on the next start a session left active when the server stopped', async () => {
    const sessionId = newId();
    const first = await startServer({ DATA_DIR: dataDir, FINALIZE_GRACE_MS: '600000' });
    const client = await TestClient.connect(first.wsUrl, sessionId);
    await client.ask('what is 9*9?');
    await client.close();
    await first.close();

    const second = await startServer({ DATA_DIR: dataDir });
    const row = await second.app.parley.store.getSession(sessionId);
    expect(row).toMatchObject({ is_active: false });
    expect(row?.summary).toMatch(/9\*9|81/);
    expect(row?.metadata).toMatchObject({ message_count: 2 });
    await second.close();
  });
});
