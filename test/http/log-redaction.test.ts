import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/http/redact-url.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

const token = 'log-redaction-secret-token-0123456789';

describe('log lines at LOG_LEVEL=debug', () => {
  let server: RunningServer;
  const lines: string[] = [];
  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    server = await startServer({ API_TOKEN: token, LOG_LEVEL: 'debug' }, { logStream });
  });
  afterAll(async () => {
    await server.close();
  });

  it('never carry the token, whether it came in the query, the header or the socket URL', async () => {
    await server.app.inject({ url: `/api/sessions?token=${token}` });
    await server.app.inject({ url: `/api/sessions?limit=5&access_token=${token}` });
    await server.app.inject({ url: '/api/sessions', headers: { authorization: `Bearer ${token}` } });
    await server.app.inject({ url: `/api/sessions?token=wrong-${token}` });
    const client = await TestClient.connect(server.wsUrl, 'redacted-log', { token });
    await client.ask('what is 1+1?');
    await client.close();

    const logged = lines.join('');
    expect(lines.length).toBeGreaterThan(4);
    expect(logged).toContain('/api/sessions?token=%5Bredacted%5D');
    expect(logged).toContain('/ws/session/redacted-log?token=%5Bredacted%5D');
    expect(logged).not.toContain(token);
  });
});

describe('redactUrl', () => {
  it('replaces every credential in the query and leaves the rest as it was', () => {
    expect(redactUrl('/api/sessions?limit=5&token=abc&access_token=def')).toBe('/api/sessions?limit=5&token=%5Bredacted%5D&access_token=%5Bredacted%5D');
    expect(redactUrl('/ws/session/a?after=3')).toBe('/ws/session/a?after=3');
    expect(redactUrl('/health')).toBe('/health');
  });
});
