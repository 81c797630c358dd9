import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUserIdParam } from '../../src/http/user-id-param.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe('session ids up to the 128 characters CONTRACT.md allows', () => {
  const longest = `${'x'.repeat(120)}-longest`;

  it('opens a session with a 128-character id over the WebSocket and serves it over HTTP', async () => {
    expect(longest).toHaveLength(128);
    const client = await TestClient.connect(server.wsUrl, longest);
    expect(client.session).toMatchObject({ session_id: longest, resumed: false });
    await client.ask('hello');
    await client.close();
    const session = await server.app.inject({ url: `/api/sessions/${longest}` });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ session_id: longest });
    expect((await server.app.inject({ url: `/api/sessions/${longest}/events` })).statusCode).toBe(200);
  });

  it('refuses a 129-character id with bad_request: a 400 problem over HTTP, an error frame and 1008 on the WebSocket', async () => {
    const tooLong = `${longest}y`;
    const response = await server.app.inject({ url: `/api/sessions/${tooLong}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad_request' });
    const client = TestClient.open(`${server.wsUrl}/ws/session/${tooLong}`);
    expect(await client.waitFor('error')).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/1-128 characters/) as unknown });
    expect(await client.closed()).toBe(1008);
  });
});

describe('user_id', () => {
  const refusals = [
    ['a repeated user_id', 'user_id=a&user_id=b', /given once/],
    ['a user_id holding NUL', 'user_id=a%00b', /control characters/],
    ['a user_id holding an escape character', 'user_id=a%1B%5B31mb', /control characters/],
  ] as const;

  it.each(refusals)('refuses %s on the WebSocket with bad_request and 1008, creating nothing', async (name, query, message) => {
    const sessionId = name.replace(/\W+/g, '-');
    const client = TestClient.open(`${server.wsUrl}/ws/session/${sessionId}?${query}`);
    expect(await client.waitFor('error')).toMatchObject({ code: 'bad_request', message: expect.stringMatching(message) as unknown });
    expect(await client.closed()).toBe(1008);
    expect((await server.app.inject({ url: `/api/sessions/${sessionId}` })).statusCode).toBe(404);
  });

  it.each(refusals)('refuses %s as the session list filter with a 400 bad_request problem', async (_name, query, message) => {
    const response = await server.app.inject({ url: `/api/sessions?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad_request', detail: expect.stringMatching(message) as unknown });
  });

  it('stores a plain user_id as given, and an empty one as no user', async () => {
    expect(readUserIdParam('alice@example.com')).toStrictEqual({ userId: 'alice@example.com' });
    expect(readUserIdParam('')).toStrictEqual({ userId: null });
    expect(readUserIdParam(undefined)).toStrictEqual({ userId: null });
    expect(readUserIdParam('é'.repeat(257))).toStrictEqual({ problem: 'user_id is longer than 256 characters' });
    const client = await TestClient.connect(server.wsUrl, 'user-id-plain', { user_id: 'Zoë Ünver' });
    await client.ask('hello');
    await client.close();
    expect((await server.app.inject({ url: '/api/sessions/user-id-plain' })).json()).toMatchObject({ user_id: 'Zoë Ünver' });
  });
});
