import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryItem, ServerFrame } from '../../src/protocol/index.js';
import { freePort, killServerProcesses, startServerProcess } from '../support/server-process.js';
import { migratedDataDir } from '../support/pglite-template.js';
import { TestClient } from '../support/test-client.js';

/** Where the killed server keeps its data: a PGlite folder, or a PostgreSQL schema of its own. */
interface Storage {
  kind: 'pglite' | 'postgres';
  environment(): Promise<Record<string, string>>;
  dispose(): Promise<void>;
}

const pglite = (): Storage => {
  let dataDir: string | undefined;
  return {
    kind: 'pglite',
    async environment() {
      dataDir = await migratedDataDir('parley-crash-');
      return { DATA_DIR: dataDir };
    },
    dispose: async () => {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
};

const postgresSchema = (databaseUrl: string | undefined): Storage => {
  const schema = `parley_crash_${randomBytes(6).toString('hex')}`;
  let admin: postgres.Sql | undefined;
  return {
    kind: 'postgres',
    async environment() {
      if (!databaseUrl) throw new Error('TEST_DATABASE_URL is not set: CI must run this test against PostgreSQL too.');
      admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`CREATE SCHEMA ${schema}`);
      const url = new URL(databaseUrl);
      url.searchParams.set('search_path', schema);
      return { DATABASE_URL: url.toString() };
    },
    async dispose() {
      await admin?.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin?.end();
    },
  };
};

const databaseUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;
const storages = databaseUrl || process.env.CI === 'true' ? [pglite(), postgresSchema(databaseUrl)] : [pglite()];

const seqOf = (frame: ServerFrame): number | undefined => ('seq' in frame ? frame.seq : undefined);

afterAll(async () => {
  killServerProcesses();
  await Promise.all(storages.map((storage) => storage.dispose()));
});

describe.each(storages)('a server killed with -9 mid-answer, on $kind', (storage) => {
  it('numbers on above every seq the client saw and keeps the answer up to its last checkpoint', async () => {
    const port = await freePort();
    const environment = {
      ...(await storage.environment()),
      PORT: String(port),
      FINALIZE_GRACE_MS: '600000',
      // About 70 words at 120 ms: an answer of 8 s, killed 5 s in, after two checkpoints (every 2 s).
      OFFLINE_TOKEN_DELAY_MS: '120',
    };
    const wsUrl = `ws://127.0.0.1:${port}`;
    const sessionId = `crash-${storage.kind}`;

    const first = startServerProcess(environment);
    await first.ready;
    const client = await TestClient.connect(wsUrl, sessionId);
    client.send({ type: 'message', content: 'tell me about yourself', id: 'q-1' });
    const ack = await client.waitFor('ack');
    await client.waitFor('token');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(client.frames.some((frame) => frame.type === 'done')).toBe(false);
    first.child.kill('SIGKILL');
    await first.exited;
    const seen = client.frames.slice();
    const seenText = TestClient.text(seen);
    const lastSeen = Math.max(...seen.flatMap((frame) => seqOf(frame) ?? []));

    const second = startServerProcess(environment);
    await second.ready;

    // The session was left active by the crash: finalized at start, the cut answer included.
    const row = (await (await fetch(`http://127.0.0.1:${port}/api/sessions/${sessionId}`)).json()) as { is_active: boolean; metadata: Record<string, unknown> };
    expect(row).toMatchObject({ is_active: false, metadata: { message_count: 2, turns_by_status: { interrupted: 1 } } });

    const resumed = await TestClient.connect(wsUrl, sessionId, { after: lastSeen });
    expect(resumed.session.last_seq).toBeGreaterThan(lastSeen);
    const history = resumed.session.history ?? [];
    expect(history.map((item) => item.type)).toStrictEqual(['user_message', 'assistant_message']);
    expect(history[0]).toMatchObject({ type: 'user_message', id: 'q-1', seq: ack.seq });
    const answer = history[1] as Extract<HistoryItem, { type: 'assistant_message' }>;
    expect(answer.status).toBe('interrupted');
    expect(answer.seq).toBeGreaterThan(lastSeen);
    expect(answer.content.length).toBeGreaterThan(0);
    expect(seenText.startsWith(answer.content)).toBe(true);

    // The same message id again: acked as a duplicate with its first seq, not answered again.
    const from = resumed.frames.length;
    resumed.send({ type: 'message', content: 'tell me about yourself', id: 'q-1' });
    expect(await resumed.waitFor('ack', () => true, from)).toMatchObject({ id: 'q-1', duplicate: true, seq: ack.seq });
    resumed.send({ type: 'ping' });
    await resumed.waitFor('pong', () => true, from);
    expect(resumed.frames.slice(from).map((frame) => frame.type)).toStrictEqual(['ack', 'pong']);

    // A new message numbers on from last_seq, one by one.
    const next = await resumed.ask('what is 2+3?');
    const numbers = next.flatMap((frame) => seqOf(frame) ?? []);
    expect(numbers).toStrictEqual(numbers.map((_, index) => resumed.session.last_seq + 1 + index));
    expect(TestClient.text(next)).toContain('5');

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);
});
