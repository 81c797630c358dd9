import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWithSecret, userClaims } from '../auth/support/tokens.js';
import { eventually } from '../support/eventually.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

const secret = 'lazy-session-row-jwt-secret-of-forty-chars';

/** Issue 15, item 1: a session's row comes with its first message, so page loads leave nothing behind. */
describe.each(serverDatabaseVariants)('a session is created by its first message, on $kind', (variant) => {
  let database: ServerDatabase;
  let server: RunningServer;
  const tokens: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' };

  beforeAll(async () => {
    database = await variant.create();
    server = await startServer({ ...database.settings, AUTH_JWT_SECRET: secret, FINALIZE_GRACE_MS: '50' });
    for (const user of ['alice', 'bob', 'carol'] as const) tokens[user] = await signWithSecret(secret, userClaims({ sub: user }));
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  const connect = (sessionId: string, user: keyof typeof tokens) => TestClient.connect(server.wsUrl, sessionId, { access_token: tokens[user] });
  const get = (url: string, user: keyof typeof tokens) => server.app.inject({ url, headers: { authorization: `Bearer ${tokens[user]}` } });
  const listedIds = async (user: keyof typeof tokens) =>
    (await get('/api/sessions', user)).json<{ sessions: Array<{ session_id: string }> }>().sessions.map((session) => session.session_id);

  it('leaves no session behind for sockets that never send: no row, not listed, 404, nothing kept in memory', async () => {
    const sessionId = `unused-${randomUUID()}`;
    for (let load = 0; load < 3; load += 1) {
      const client = await connect(sessionId, 'alice');
      expect(client.session).toMatchObject({ type: 'session', session_id: sessionId, resumed: false, last_seq: 0 });
      await client.close();
    }
    await eventually(() => !server.app.parley.hub.isAttached(sessionId) && server.app.parley.hub.get(sessionId) === undefined);
    // Past the finalize grace: nothing was finalized, nothing summarized, because nothing exists.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await server.app.parley.store.getSession(sessionId)).toBeNull();
    expect((await get(`/api/sessions/${sessionId}`, 'alice')).statusCode).toBe(404);
    expect(await listedIds('alice')).not.toContain(sessionId);
  });

  it('creates the session with its first message, owned by the sender, and lists it once', async () => {
    const sessionId = `first-${randomUUID()}`;
    const client = await connect(sessionId, 'alice');
    const second = await connect(sessionId, 'alice');
    expect(second.session.resumed).toBe(false);
    const frames = await client.ask('What is 6*7?', { id: 'm1' });
    expect(frames[0]).toMatchObject({ type: 'ack', id: 'm1' });
    expect(TestClient.text(frames)).toContain('42');
    // The user's other tab, attached before the session existed, sees the same turn.
    await second.waitFor('done');
    expect(await server.app.parley.store.getSession(sessionId)).toMatchObject({ session_id: sessionId, user_id: 'alice', is_active: true });
    expect((await listedIds('alice')).filter((id) => id === sessionId)).toHaveLength(1);
    await client.close();
    await second.close();
    const again = await connect(sessionId, 'alice');
    expect(again.session).toMatchObject({ resumed: true });
    expect(again.session.history?.map((item) => item.type)).toContain('user_message');
    await again.close();
  });

  it('gives an unused id to the first user who sends, and refuses the other with forbidden, who sees nothing of it', async () => {
    for (let round = 0; round < 3; round += 1) {
      const sessionId = `race-${randomUUID()}`;
      const alice = await connect(sessionId, 'alice');
      const bob = await connect(sessionId, 'bob');
      alice.send({ type: 'message', content: 'mine', id: 'a' });
      bob.send({ type: 'message', content: 'no, mine', id: 'b' });
      const outcomes = await Promise.all(
        [alice, bob].map((client) =>
          Promise.race([
            client.waitFor('done').then(() => 'answered'),
            client.closed().then((code) => `${client.frames.some((frame) => frame.type === 'error' && frame.code === 'forbidden') ? 'forbidden' : 'closed'} ${code}`),
          ]),
        ),
      );
      expect([...outcomes].sort()).toStrictEqual(['answered', 'forbidden 1008']);
      const [winner, loser] = outcomes[0] === 'answered' ? (['alice', bob] as const) : (['bob', alice] as const);
      expect(await server.app.parley.store.getSession(sessionId)).toMatchObject({ user_id: winner });
      expect(loser.frames.filter((frame) => ['ack', 'token', 'done', 'tool_call'].includes(frame.type))).toStrictEqual([]);
      // Once it exists, it is the winner's: another user is refused at the door.
      const late = TestClient.open(`${server.wsUrl}/ws/session/${sessionId}?access_token=${tokens.carol}`);
      expect(await late.closed()).toBe(1008);
      expect(late.frames[0]).toMatchObject({ type: 'error', code: 'forbidden' });
      expect((await get(`/api/sessions/${sessionId}`, loser === alice ? 'alice' : 'bob')).statusCode).toBe(404);
      await (loser === alice ? bob : alice).close();
    }
  });

  it('writes nothing for a message that is refused before it is stored', async () => {
    const sessionId = `refused-${randomUUID()}`;
    const client = await connect(sessionId, 'alice');
    client.send({ type: 'message', content: 'x'.repeat(200_000) });
    await client.waitFor('error');
    await client.close();
    expect(await server.app.parley.store.getSession(sessionId)).toBeNull();
  });
});
