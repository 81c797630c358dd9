import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

const token = 'a-long-enough-test-token';

describe('with API_TOKEN set', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ API_TOKEN: token });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers /api without the token with a 401 unauthorized problem, and with it normally', async () => {
    const refused = await server.app.inject({ url: '/api/sessions' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'unauthorized', status: 401 });
    const wrong = await server.app.inject({ url: '/api/sessions', headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.statusCode).toBe(401);
    const allowed = await server.app.inject({ url: '/api/sessions', headers: { authorization: `Bearer ${token}` } });
    expect(allowed.statusCode).toBe(200);
    expect((await server.app.inject({ url: `/api/sessions?token=${token}` })).statusCode).toBe(200);
  });

  it('refuses a WebSocket without the token with an unauthorized frame and 1008', async () => {
    const client = TestClient.open(`${server.wsUrl}/ws/session/guarded`);
    expect(await client.waitFor('error')).toMatchObject({ code: 'unauthorized', recoverable: false });
    expect(await client.closed()).toBe(1008);
    expect(await server.app.parley.store.getSession('guarded')).toBeNull();
  });

  it('lets a WebSocket with ?token= hold a conversation', async () => {
    const client = await TestClient.connect(server.wsUrl, 'guarded', { token });
    const frames = await client.ask('what is 2+2?');
    expect(TestClient.text(frames)).toContain('4');
    await client.close();
  });

  it('lets a WebSocket with ?access_token=, as the page sends it, hold a conversation', async () => {
    const client = await TestClient.connect(server.wsUrl, 'guarded-page', { access_token: token });
    const frames = await client.ask('what is 3+4?');
    expect(TestClient.text(frames)).toContain('7');
    await client.close();
  });

  it('shows /metrics only to an operator with the token', async () => {
    const refused = await server.app.inject({ url: '/metrics' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'unauthorized' });
    expect(refused.body).not.toMatch(/parley_/);
    const allowed = await server.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.body).toMatch(/parley_ws_connections/);
  });

  it('tells the page that it must sign in, without showing the token', async () => {
    const response = await server.app.inject({ url: '/', headers: { accept: 'application/json' } });
    expect(response.json<{ auth: unknown }>().auth).toStrictEqual({ mode: 'token' });
    expect(response.body).not.toContain(token);
  });

  it('keeps /health and the page open', async () => {
    expect((await server.app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await server.app.inject({ url: '/', headers: { accept: 'application/json' } })).statusCode).toBe(200);
  });

  it('refuses a token shorter than 16 characters at start, without repeating it', async () => {
    const refusal = await startServer({ API_TOKEN: 'short' }).then(
      () => new Error('the server started'),
      (error: unknown) => error as Error,
    );
    expect(refusal.message).toBe('Invalid setting: API_TOKEN=(5 characters, not shown): must be at least 16 characters');
  });
});
