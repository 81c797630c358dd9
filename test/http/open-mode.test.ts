import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketOutcome } from '../auth/support/socket-outcome.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

/** A client 203.0.113.9 as a proxy on this machine reports it. */
const forwarded = { 'x-forwarded-for': '203.0.113.9' };

describe('with no auth setting (the local default)', () => {
  let plain: RunningServer;
  let proxied: RunningServer;
  let openToAll: RunningServer;
  beforeAll(async () => {
    [plain, proxied, openToAll] = await Promise.all([
      // Bound to every interface, as on a server: the Host check then depends on the mode.
      startServer({ HOST: '0.0.0.0' }),
      startServer({ TRUST_PROXY: 'loopback' }),
      startServer({ HOST: '0.0.0.0', TRUST_PROXY: 'loopback', ALLOW_OPEN_ACCESS: 'true' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.close(), proxied?.close(), openToAll?.close()]);
  });

  it('serves a client on this machine with no token, and keeps the user_id it names', async () => {
    const client = await TestClient.connect(plain.wsUrl, 'open-local', { user_id: 'ada' });
    await client.ask('hello');
    await client.close();
    const session = await plain.app.inject({ url: '/api/sessions/open-local' });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ user_id: 'ada' });
  });

  it('refuses a client beyond the loopback interface, saying which setting to set', async () => {
    const refused = await proxied.app.inject({ url: '/api/sessions', headers: forwarded });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/ALLOW_OPEN_ACCESS=true.*AUTH_JWT_SECRET, AUTH_JWKS_URL or API_TOKEN/) as unknown });
    const socket = await socketOutcome(`${proxied.wsUrl}/ws/session/open-remote`, forwarded);
    expect(socket).toMatchObject({ first: { type: 'error', code: 'forbidden' }, closeCode: 1008 });
    expect(await proxied.app.parley.store.getSession('open-remote')).toBeNull();
    expect((await proxied.app.inject({ url: '/health', headers: forwarded })).statusCode).toBe(200);
  });

  it('reads X-Forwarded-For only from a proxy TRUST_PROXY names: otherwise the connection is the client', async () => {
    expect((await plain.app.inject({ url: '/api/sessions', headers: forwarded })).statusCode).toBe(200);
  });

  it('serves every client with ALLOW_OPEN_ACCESS=true', async () => {
    expect((await openToAll.app.inject({ url: '/api/sessions', headers: forwarded })).statusCode).toBe(200);
    expect((await socketOutcome(`${openToAll.wsUrl}/ws/session/open-everyone`, forwarded)).first).toMatchObject({ type: 'session' });
  });

  it('answers only loopback names, since it serves only this machine (a rebound page sends its own name)', async () => {
    const rebound = await plain.app.inject({ url: '/api/sessions', headers: { host: 'rebound.evil.example:8000' } });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json()).toMatchObject({ code: 'forbidden_host' });
    expect((await plain.app.inject({ url: '/api/sessions', headers: { host: 'localhost:8000' } })).statusCode).toBe(200);
  });

  it('answers any name with ALLOW_OPEN_ACCESS=true on every interface: the load balancer in front chooses the names', async () => {
    expect((await openToAll.app.inject({ url: '/health', headers: { host: 'chat.example.com' } })).statusCode).toBe(200);
  });
});
