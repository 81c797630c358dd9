import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TokenBuckets } from '../../src/http/token-buckets.js';
import { startServer, type RunningServer } from '../support/start-server.js';

/** Opens a socket and resolves with its `session` frame's session id, or with the HTTP status that refused the upgrade. */
function connect(url: string, headers: Record<string, string> = {}): Promise<{ socket: WebSocket; sessionId?: string; status?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type: string; session_id?: string };
      if (frame.type === 'session') resolve({ socket, ...(frame.session_id === undefined ? {} : { sessionId: frame.session_id }) });
      else reject(new Error(`first frame ${frame.type}`));
    });
    socket.on('unexpected-response', (_request, response) => {
      response.resume();
      resolve({ socket, status: response.statusCode ?? 0 });
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

const closeAll = (sockets: WebSocket[]) =>
  Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close();
        }),
    ),
  );

describe('TokenBuckets', () => {
  it('gives each key its capacity at once, then refills it over a minute, saying how long to wait', () => {
    const buckets = new TokenBuckets(3);
    const start = 1_000_000;
    expect([0, 1, 2, 3].map(() => buckets.take('a', start))).toStrictEqual([0, 0, 0, 20]);
    expect(buckets.take('b', start)).toBe(0);
    expect(buckets.take('a', start + 19_000)).toBe(1);
    expect(buckets.take('a', start + 20_000)).toBe(0);
  });
});

describe('a reconnect storm from one address (the defaults)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // The default HTTP limit is on (600 a minute); sessions are not finalized during the test.
    server = await startServer({ RATE_LIMIT_HTTP_PER_MINUTE: '600', FINALIZE_GRACE_MS: '600000' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves 1,000 sockets from 127.0.0.1 within seconds, each with its session frame, and the API stays open', async () => {
    const sockets: WebSocket[] = [];
    const served: string[] = [];
    try {
      for (let batch = 0; batch < 10; batch += 1) {
        const outcomes = await Promise.all(
          Array.from({ length: 100 }, (_, index) => connect(`${server.wsUrl}/ws/session/storm-${(batch * 100 + index) % 50}`)),
        );
        for (const outcome of outcomes) {
          sockets.push(outcome.socket);
          served.push(outcome.sessionId ?? `refused ${outcome.status}`);
        }
      }
      expect(served.filter((id) => id.startsWith('refused'))).toStrictEqual([]);
      expect(served).toHaveLength(1_000);
      expect((await server.app.inject({ url: '/api/sessions?limit=1' })).statusCode).toBe(200);
    } finally {
      await closeAll(sockets);
    }
  }, 120_000);
});

describe('limits per client address', () => {
  let server: RunningServer;
  let proxied: RunningServer;
  beforeAll(async () => {
    const limits = { RATE_LIMIT_HTTP_PER_MINUTE: '3', RATE_LIMIT_CONNECTIONS_PER_MINUTE: '4' };
    [server, proxied] = await Promise.all([startServer(limits), startServer({ ...limits, TRUST_PROXY: '127.0.0.1', ALLOW_OPEN_ACCESS: 'true' })]);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), proxied?.close()]);
  });

  it('refuses upgrades past the connection rate with 429 rate_limited and Retry-After, without counting them as API calls', async () => {
    const outcomes = [];
    for (let index = 0; index < 5; index += 1) outcomes.push(await connect(`${server.wsUrl}/ws/session/limited-${index}`));
    expect(outcomes.map((outcome) => outcome.status ?? 'session')).toStrictEqual(['session', 'session', 'session', 'session', 429]);
    await closeAll(outcomes.map((outcome) => outcome.socket));

    const calls = [];
    for (let index = 0; index < 4; index += 1) calls.push(await server.app.inject({ url: '/api/sessions?limit=1' }));
    expect(calls.map((call) => call.statusCode)).toStrictEqual([200, 200, 200, 429]);
    expect(calls[3]!.json()).toMatchObject({ code: 'rate_limited', retry_after_s: expect.any(Number) as number });
    expect(calls[3]!.headers['retry-after']).toBeDefined();
  });

  it('counts each forwarded client on its own behind a proxy TRUST_PROXY names', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const statuses = async (address: string) => {
      const outcomes = [];
      for (let index = 0; index < 3; index += 1) outcomes.push((await proxied.app.inject({ url: '/api/sessions?limit=1', headers: from(address) })).statusCode);
      return outcomes;
    };
    expect(await statuses('203.0.113.1')).toStrictEqual([200, 200, 200]);
    expect(await statuses('203.0.113.2')).toStrictEqual([200, 200, 200]);
    const sockets = [];
    for (let index = 0; index < 4; index += 1) sockets.push(await connect(`${proxied.wsUrl}/ws/session/proxied-${index}`, from('203.0.113.3')));
    const other = await connect(`${proxied.wsUrl}/ws/session/proxied-other`, from('203.0.113.4'));
    const extra = await connect(`${proxied.wsUrl}/ws/session/proxied-extra`, from('203.0.113.3'));
    expect(sockets.every((outcome) => outcome.sessionId !== undefined)).toBe(true);
    expect(other.sessionId).toBe('proxied-other');
    expect(extra.status).toBe(429);
    await closeAll([...sockets, other, extra].map((outcome) => outcome.socket));
  });
});
