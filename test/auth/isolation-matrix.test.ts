import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { startJwksServer, type JwksServer } from './support/jwks-server.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { socketOutcome, type SocketOutcome } from './support/socket-outcome.js';
import { createSigningKey, nowSeconds, signWithKey, signWithSecret, unsignedToken, userClaims } from './support/tokens.js';

const secret = 'isolation-matrix-jwt-secret-of-forty-chars';
const apiToken = 'isolation-matrix-operator-token';
const issuer = 'https://issuer.example/auth/v1';
const audience = 'authenticated';
const claims = (overrides: Record<string, unknown>) => userClaims({ iss: issuer, aud: audience, ...overrides });

describe.each(serverDatabaseVariants)('users and access on $kind', (variant) => {
  let database: ServerDatabase;
  let jwks: JwksServer;
  let server: RunningServer;
  /** Every credential of the matrix, by who holds it. */
  let credentials: Record<string, string | undefined>;

  beforeAll(async () => {
    database = await variant.create();
    const bobKey = await createSigningKey('RS256');
    const strangerKey = await createSigningKey('RS256');
    jwks = await startJwksServer([bobKey.publicJwk]);
    server = await startServer({
      ...database.settings,
      AUTH_JWT_SECRET: secret,
      AUTH_JWKS_URL: jwks.url,
      AUTH_JWT_ISSUER: issuer,
      AUTH_JWT_AUDIENCE: audience,
      API_TOKEN: apiToken,
    });
    credentials = {
      alice: await signWithSecret(secret, claims({ sub: 'alice' })),
      bob: await signWithKey(bobKey, claims({ sub: 'bob' })),
      'API_TOKEN': apiToken,
      service_role: await signWithSecret(secret, claims({ sub: undefined, role: 'service_role' })),
      'no token': undefined,
      expired: await signWithSecret(secret, claims({ sub: 'alice', iat: nowSeconds() - 600, exp: nowSeconds() - 120 })),
      'wrong signature': await signWithSecret('another-secret-that-is-also-forty-chars!', claims({ sub: 'alice' })),
      'alg none': unsignedToken(claims({ sub: 'alice' })),
      'wrong iss': await signWithSecret(secret, claims({ sub: 'alice', iss: 'https://elsewhere.example/auth/v1' })),
      'wrong aud': await signWithSecret(secret, claims({ sub: 'alice', aud: 'anon' })),
      'unknown kid': await signWithKey(strangerKey, claims({ sub: 'alice' })),
    };
    for (const [owner, sessionId] of [['alice', 'alice-chat'], ['bob', 'bob-chat']] as const) {
      const client = await TestClient.connect(server.wsUrl, sessionId, { access_token: credentials[owner]! });
      await client.ask('what is 2+2?');
      await client.close();
    }
  });
  afterAll(async () => {
    await server?.close();
    await jwks?.close();
    await database?.dispose();
  });

  const bearer = (credential: string | undefined): Record<string, string> => (credential === undefined ? {} : { authorization: `Bearer ${credential}` });
  const get = (url: string, credential: string | undefined) => server.app.inject({ url, headers: bearer(credential) });
  const send = (method: 'PATCH' | 'DELETE', url: string, credential: string | undefined, payload?: object) =>
    server.app.inject({ method, url, headers: bearer(credential), ...(payload ? { payload } : {}) });
  const outcome = (answer: { statusCode: number; json: <T>() => T }) =>
    answer.statusCode < 300 ? String(answer.statusCode) : `${answer.statusCode} ${answer.json<{ code: string }>().code}`;
  const socketUrl = (sessionId: string, credential: string | undefined, query = '') =>
    `${server.wsUrl}/ws/session/${sessionId}?${credential === undefined ? '' : `access_token=${encodeURIComponent(credential)}`}${query}`;
  const describeSocket = ({ first, closeCode }: SocketOutcome) =>
    first.type === 'session' ? 'session' : `${first.type === 'error' ? first.code : first.type} ${closeCode}`;
  const ownIds = new Set(['alice-chat', 'bob-chat']);
  /** A session's row comes with its first message: this one is sent and answered. */
  const firstMessage = async (url: string) => {
    const client = TestClient.open(url);
    await client.waitFor('session');
    await client.ask('what is 2+2?');
    await client.close();
  };

  it('answers every route and the socket for each caller as CONTRACT.md says', async () => {
    const table: Record<string, unknown> = {};
    for (const [who, credential] of Object.entries(credentials)) {
      const one = await get('/api/sessions/alice-chat', credential);
      const events = await get('/api/sessions/alice-chat/events', credential);
      const list = await get('/api/sessions', credential);
      const metrics = await get('/metrics', credential);
      const renamed = await send('PATCH', '/api/sessions/alice-chat', credential, { title: 'Alice asks about sums' });
      const exported = await get('/api/sessions/alice-chat/export?format=json', credential);
      // Each caller tries to delete a session of Alice's of its own, so one that may does not take the others'.
      const doomed = `alice-doomed-${who.replace(/\W+/g, '-')}`;
      await server.app.parley.store.openSession(doomed, 'alice');
      const deleted = await send('DELETE', `/api/sessions/${doomed}`, credential);
      const listed =
        list.statusCode === 200
          ? list.json<{ sessions: Array<{ session_id: string }> }>().sessions.map((session) => session.session_id).filter((id) => ownIds.has(id)).sort()
          : `${list.statusCode} ${list.json<{ code: string }>().code}`;
      table[who] = {
        session: `${one.statusCode} ${one.statusCode === 200 ? '' : one.json<{ code: string }>().code}`.trim(),
        events: `${events.statusCode} ${events.statusCode === 200 ? '' : events.json<{ code: string }>().code}`.trim(),
        list: listed,
        socket: describeSocket(await socketOutcome(socketUrl('alice-chat', credential))),
        metrics: metrics.statusCode,
        rename: outcome(renamed),
        export: outcome(exported),
        delete: outcome(deleted),
      };
    }
    const refused = {
      session: '401 unauthorized', events: '401 unauthorized', list: '401 unauthorized', socket: 'unauthorized 1008', metrics: 401,
      rename: '401 unauthorized', export: '401 unauthorized', delete: '401 unauthorized',
    };
    const allowed = { rename: '200', export: '200', delete: '204' };
    const hidden = { rename: '404 not_found', export: '404 not_found', delete: '404 not_found' };
    expect(table).toStrictEqual({
      alice: { session: '200', events: '200', list: ['alice-chat'], socket: 'session', metrics: 403, ...allowed },
      bob: { session: '404 not_found', events: '404 not_found', list: ['bob-chat'], socket: 'forbidden 1008', metrics: 403, ...hidden },
      API_TOKEN: { session: '200', events: '200', list: ['alice-chat', 'bob-chat'], socket: 'session', metrics: 200, ...allowed },
      service_role: { session: '200', events: '200', list: ['alice-chat', 'bob-chat'], socket: 'session', metrics: 200, ...allowed },
      'no token': refused,
      expired: refused,
      'wrong signature': refused,
      'alg none': refused,
      'wrong iss': refused,
      'wrong aud': refused,
      'unknown kid': refused,
    });
  });

  it("answers a guessed id of another user's session exactly as an id nobody has", async () => {
    const unknownId = `guess-${randomUUID()}`;
    const foreign = await get('/api/sessions/alice-chat/events', credentials.bob);
    const unknown = await get(`/api/sessions/${unknownId}/events`, credentials.bob);
    expect(foreign.statusCode).toBe(unknown.statusCode);
    expect(foreign.headers['content-type']).toBe(unknown.headers['content-type']);
    const withoutId = (body: string, id: string) => body.replaceAll(id, 'ID');
    expect(withoutId(foreign.body, 'alice-chat')).toBe(withoutId(unknown.body, unknownId));
  });

  it("writes nothing for a refused socket: no row for a new id, and the owner's finalized session stays as it was", async () => {
    const before = await eventually(async () => {
      const session = await server.app.parley.store.getSession('alice-chat');
      return session?.is_active === false && !server.app.parley.hub.isAttached('alice-chat') ? session : undefined;
    });
    const newId = `refused-${randomUUID()}`;
    for (const who of ['no token', 'expired', 'wrong signature', 'alg none', 'wrong iss', 'wrong aud', 'unknown kid']) {
      expect(describeSocket(await socketOutcome(socketUrl(newId, credentials[who])))).toBe('unauthorized 1008');
    }
    expect(describeSocket(await socketOutcome(socketUrl('alice-chat', credentials.bob)))).toBe('forbidden 1008');
    expect(await server.app.parley.store.getSession(newId)).toBeNull();
    expect(await server.app.parley.store.getSession('alice-chat')).toStrictEqual(before);
  });

  it("takes the user from the token and ignores a user_id in the URL", async () => {
    const sessionId = `named-${randomUUID()}`;
    await firstMessage(socketUrl(sessionId, credentials.alice, '&user_id=bob'));
    expect((await get(`/api/sessions/${sessionId}`, credentials.alice)).json()).toMatchObject({ user_id: 'alice' });
    expect((await get(`/api/sessions/${sessionId}`, credentials.bob)).statusCode).toBe(404);
    const bobsList = (await get('/api/sessions?user_id=alice', credentials.bob)).json<{ sessions: Array<{ user_id: string }> }>();
    expect(new Set(bobsList.sessions.map((session) => session.user_id))).toStrictEqual(new Set(['bob']));
  });

  it("lets an operator open a session for a user, who then owns it, and filter the list by user", async () => {
    const sessionId = `for-carol-${randomUUID()}`;
    await firstMessage(socketUrl(sessionId, apiToken, '&user_id=carol'));
    const carol = await signWithSecret(secret, claims({ sub: 'carol' }));
    expect((await get(`/api/sessions/${sessionId}`, carol)).json()).toMatchObject({ session_id: sessionId, user_id: 'carol' });
    const filtered = (await get('/api/sessions?user_id=carol', apiToken)).json<{ sessions: Array<{ session_id: string }> }>();
    expect(filtered.sessions.map((session) => session.session_id)).toStrictEqual([sessionId]);
    expect((await get(`/api/sessions/${sessionId}`, credentials.alice)).statusCode).toBe(404);
  });

  it('keeps the owner when an operator opens the session naming someone else', async () => {
    expect(describeSocket(await socketOutcome(socketUrl('alice-chat', apiToken, '&user_id=bob')))).toBe('session');
    expect(await server.app.parley.store.getSession('alice-chat')).toMatchObject({ user_id: 'alice' });
  });

  it('gives a new id to exactly one of two users who send their first message at the same moment', async () => {
    for (let round = 0; round < 5; round += 1) {
      const sessionId = `race-${randomUUID()}`;
      // The session exists from its first message (issue 15): both may open the unused id.
      const alice = TestClient.open(socketUrl(sessionId, credentials.alice));
      const bob = TestClient.open(socketUrl(sessionId, credentials.bob));
      await Promise.all([alice.waitFor('session'), bob.waitFor('session')]);
      for (const client of [alice, bob]) client.send({ type: 'message', content: 'what is 2+2?' });
      const outcome = (client: TestClient) =>
        Promise.race([client.waitFor('done').then(() => 'answered'), client.closed().then((code) => `${client.frames.find((frame) => frame.type === 'error' && frame.code === 'forbidden') ? 'forbidden' : 'other'} ${code}`)]);
      const outcomes = await Promise.all([outcome(alice), outcome(bob)]);
      expect([...outcomes].sort()).toStrictEqual(['answered', 'forbidden 1008']);
      const winner = outcomes[0] === 'answered' ? 'alice' : 'bob';
      expect(await server.app.parley.store.getSession(sessionId)).toMatchObject({ user_id: winner });
      await Promise.all([alice.close(), bob.close()]);
    }
  });

  it('takes the token from the Authorization header of the upgrade too', async () => {
    const outcome = await socketOutcome(`${server.wsUrl}/ws/session/alice-chat`, bearer(credentials.alice));
    expect(outcome.first).toMatchObject({ type: 'session', session_id: 'alice-chat', resumed: true });
  });

  it('keeps /health and the API metadata open without a token', async () => {
    expect((await get('/health', undefined)).statusCode).toBe(200);
    expect((await server.app.inject({ url: '/', headers: { accept: 'application/json' } })).statusCode).toBe(200);
  });
});
