import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { allowedHostNames, isHostAllowed } from '../../src/http/host-check.js';
import { startServer, type RunningServer } from '../support/start-server.js';

/** A real HTTP GET with the Host header a browser would send for `host`. */
function get(server: RunningServer, path: string, host: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${server.httpUrl}${path}`, { headers: { host } }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * The HTTP status a WebSocket upgrade gets instead of a socket, once the server has closed
 * the connection (this client leaves it open), or 101 when it opens.
 */
function upgradeStatus(server: RunningServer, sessionId: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${server.wsUrl}/ws/session/${sessionId}`, { headers: { host } });
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

describe('allowedHostNames and isHostAllowed', () => {
  it('serves only loopback names and HOST when bound to loopback, whatever the port', () => {
    const allowed = allowedHostNames('127.0.0.1', undefined);
    for (const host of ['localhost:8000', 'LOCALHOST', '127.0.0.1:8000', '[::1]:8000', 'localhost.']) expect(isHostAllowed(host, allowed)).toBe(true);
    for (const host of ['evil.example', 'evil.example:8000', 'localhost.evil.example', '', undefined]) expect(isHostAllowed(host, allowed)).toBe(false);
  });

  it('adds a HOST that names one interface', () => {
    expect(isHostAllowed('192.168.1.5:8000', allowedHostNames('192.168.1.5', undefined))).toBe(true);
    expect(isHostAllowed('parley.lan', allowedHostNames('parley.lan', undefined))).toBe(true);
    expect(isHostAllowed('evil.example', allowedHostNames('parley.lan', undefined))).toBe(false);
  });

  it('serves any host when bound to every interface with no list, or when the list says *', () => {
    expect(allowedHostNames('0.0.0.0', undefined)).toBeNull();
    expect(allowedHostNames('::', undefined)).toBeNull();
    expect(allowedHostNames('127.0.0.1', ['*'])).toBeNull();
    expect(isHostAllowed('anything.example', null)).toBe(true);
  });

  it('serves only loopback names on every interface in the open mode, which serves only this machine', () => {
    const allowed = allowedHostNames('0.0.0.0', undefined, true);
    expect(isHostAllowed('localhost:8000', allowed)).toBe(true);
    expect(isHostAllowed('rebound.evil.example', allowed)).toBe(false);
    expect(isHostAllowed('chat.example.com', allowedHostNames('0.0.0.0', ['chat.example.com'], true))).toBe(true);
  });

  it('serves the listed hosts and loopback names when ALLOWED_HOSTS is set, also on every interface', () => {
    const allowed = allowedHostNames('0.0.0.0', ['chat.example.com']);
    expect(isHostAllowed('chat.example.com', allowed)).toBe(true);
    expect(isHostAllowed('localhost:8000', allowed)).toBe(true);
    expect(isHostAllowed('other.example.com', allowed)).toBe(false);
  });
});

describe('a server bound to loopback', () => {
  let server: RunningServer;
  let listed: RunningServer;
  beforeAll(async () => {
    [server, listed] = await Promise.all([startServer(), startServer({ ALLOWED_HOSTS: 'chat.example.com' })]);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), listed?.close()]);
  });

  it('refuses a request for another host with a 403 forbidden_host problem, and answers its own names', async () => {
    const refused = await get(server, '/health', 'rebound.evil.example');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'forbidden_host', status: 403 });
    expect(refused.body.detail).toMatch(/does not answer to the host "rebound\.evil\.example".*ALLOWED_HOSTS/);
    for (const path of ['/', '/openapi.json', '/metrics', '/api/sessions', '/no-such-route']) {
      expect((await get(server, path, 'rebound.evil.example')).status).toBe(403);
    }
    expect((await get(server, '/health', 'localhost:8000')).status).toBe(200);
    expect((await get(server, '/health', '127.0.0.1')).status).toBe(200);
  });

  it('refuses a WebSocket upgrade for another host and closes the connection before any session is created', async () => {
    expect(await upgradeStatus(server, 'rebinding-target', 'rebound.evil.example')).toBe(403);
    expect(await server.app.parley.store.getSession('rebinding-target')).toBeNull();
    expect(await upgradeStatus(server, 'own-name', 'localhost')).toBe(101);
  });

  it('answers the hosts ALLOWED_HOSTS lists and refuses the others', async () => {
    expect((await get(listed, '/health', 'chat.example.com')).status).toBe(200);
    expect((await get(listed, '/health', 'other.example.com')).status).toBe(403);
  });
});
