import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { eventually } from '../support/eventually.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
// In CI a missing PostgreSQL fails the run; on a laptop without one, these tests skip.
const run = databaseUrl || process.env.CI === 'true' ? describe : describe.skip;

run('the whole server on PostgreSQL (DATABASE_URL)', () => {
  const schema = `parley_e2e_${randomBytes(5).toString('hex')}`;
  let admin: postgres.Sql;
  let url: string;
  let server: RunningServer;

  beforeAll(async () => {
    if (!databaseUrl) throw new Error('TEST_DATABASE_URL is not set: CI must run these tests against PostgreSQL.');
    admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    const withSchema = new URL(databaseUrl);
    withSchema.searchParams.set('search_path', schema);
    url = withSchema.toString();
    server = await startServer({ DATABASE_URL: url, FINALIZE_GRACE_MS: '100' });
  });
  afterAll(async () => {
    await server?.close();
    await admin?.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('reports postgres in /health', async () => {
    expect((await server.app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok', database: { kind: 'postgres', status: 'up' } });
  });

  it('holds a tool-using conversation, resumes it after a restart and finalizes it', async () => {
    const first = await TestClient.connect(server.wsUrl, 'pg-conversation');
    const frames = await first.ask('what is 6*7?', { id: 'pg-1' });
    expect(TestClient.text(frames)).toContain('42');
    await first.close();
    await server.close();

    server = await startServer({ DATABASE_URL: url, FINALIZE_GRACE_MS: '100' });
    const finalized = await server.app.parley.store.getSession('pg-conversation');
    expect(finalized).toMatchObject({ is_active: false, metadata: { message_count: 2, tool_calls: 1 } });

    const second = await TestClient.connect(server.wsUrl, 'pg-conversation');
    expect(second.session).toMatchObject({ resumed: true, last_seq: (frames.at(-1) as { seq: number }).seq });
    expect(second.session.history?.map((item) => item.type)).toStrictEqual(['user_message', 'tool_call', 'tool_result', 'assistant_message']);
    second.send({ type: 'message', content: 'what is 6*7?', id: 'pg-1' });
    expect(await second.waitFor('ack')).toMatchObject({ duplicate: true });
    const next = await second.ask('what did I ask before?');
    expect(TestClient.text(next)).toContain('6*7');
    await second.close();
    const again = await eventually(async () => {
      const row = await server.app.parley.store.getSession('pg-conversation');
      return row && !row.is_active ? row : undefined;
    });
    expect(again.metadata).toMatchObject({ message_count: 4 });
  });
});
