import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { socketOutcome } from '../auth/support/socket-outcome.js';
import { startServer, type RunningServer } from '../support/start-server.js';

/**
 * What a WebSocket upgrade gets: 101 when it opens, else the HTTP status the server refused
 * it with, once the server has closed the connection.
 */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_request, response) => {
      response.resume();
      response.socket.once('close', () => resolve(response.statusCode ?? 0));
    });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** A real HTTP GET, as a browser sends it (inject() would not show a closed connection). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('browser origins', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ ALLOWED_ORIGINS: 'https://app.example.com' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a WebSocket upgrade from a foreign page with 403 before any socket or session exists (cross-site WebSocket hijacking)', async () => {
    expect(await upgradeStatus(`${server.wsUrl}/ws/session/hijack-target`, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(`${server.wsUrl}/ws/session/hijack-target`, { origin: 'null' })).toBe(403);
    expect(await server.app.parley.store.getSession('hijack-target')).toBeNull();
  });

  it("opens the socket for the server's own page, a listed origin, and a client that sends no Origin", async () => {
    const own = new URL(server.httpUrl).origin;
    const cases: Array<Record<string, string>> = [{ origin: own }, { origin: 'https://app.example.com' }, {}];
    for (const headers of cases) {
      expect((await socketOutcome(`${server.wsUrl}/ws/session/welcome`, headers)).first).toMatchObject({ type: 'session' });
    }
  });

  it('refuses an API call from a foreign page with a 403 forbidden problem naming ALLOWED_ORIGINS', async () => {
    const refused = await get(`${server.httpUrl}/api/sessions`, { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body) as unknown).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/ALLOWED_ORIGINS/) as unknown });
  });

  it('answers a listed origin with CORS headers, and the page itself whatever the Origin', async () => {
    const listed = await get(`${server.httpUrl}/api/sessions`, { origin: 'https://app.example.com' });
    expect(listed.status).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect((await get(`${server.httpUrl}/health`, { origin: 'https://evil.example' })).status).toBe(200);
  });
});

describe('security headers', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const policyOf = (headers: Record<string, unknown>): Record<string, string> =>
    Object.fromEntries(
      String(headers['content-security-policy'])
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .filter(([name]) => name)
        .map(([name, ...values]): [string, string] => [name ?? '', values.join(' ')]),
    );

  it('gives the page a strict Content-Security-Policy: own scripts only, no inline script, no framing, no plugin', async () => {
    const page = await get(`${server.httpUrl}/`, { accept: 'text/html' });
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const policy = policyOf(page.headers);
    expect(policy).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'script-src-attr': "'none'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(policy['connect-src']).toBe(`'self' ws://${new URL(server.httpUrl).host} wss://${new URL(server.httpUrl).host}`);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval|upgrade-insecure-requests/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('sends nosniff on API answers too, and no HSTS, which belongs to whoever terminates TLS', async () => {
    const api = await get(`${server.httpUrl}/api/sessions`, {});
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['strict-transport-security']).toBeUndefined();
  });

  it('writes no Host header it was sent into the policy unless it is a plain host name', async () => {
    const page = await get(`${server.httpUrl}/`, { accept: 'text/html', host: "localhost; script-src 'unsafe-inline'" });
    expect(page.headers['content-security-policy'] ?? '').not.toMatch(/unsafe-inline/);
  });

  it('gives Swagger UI at /docs the same policy', async () => {
    const docs = await get(`${server.httpUrl}/docs`, {});
    expect(docs.status).toBe(200);
    expect(policyOf(docs.headers)).toMatchObject({ 'script-src': "'self'", 'frame-ancestors': "'none'" });
  });
});
