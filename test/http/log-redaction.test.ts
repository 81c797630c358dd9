import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/http/redact-url.js';
import { signWithSecret, userClaims } from '../auth/support/tokens.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

const token = 'log-redaction-secret-token-0123456789';
const secret = 'log-redaction-jwt-secret-of-forty-characters';

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
    server = await startServer({ API_TOKEN: token, AUTH_JWT_SECRET: secret, LOG_LEVEL: 'debug' }, { logStream });
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
    const userToken = await signWithSecret(secret, userClaims({ sub: 'logged-user' }));
    const expired = await signWithSecret(secret, userClaims({ sub: 'logged-user', exp: Math.floor(Date.now() / 1000) - 600 }));
    await server.app.inject({ url: '/api/sessions', headers: { authorization: `Bearer ${userToken}` } });
    await server.app.inject({ url: '/api/sessions', headers: { authorization: `Bearer ${expired}` } });
    const user = await TestClient.connect(server.wsUrl, 'redacted-user-log', { access_token: userToken });
    await user.ask('what is 2+2?');
    await user.close();
    const refused = TestClient.open(`${server.wsUrl}/ws/session/redacted-refused?access_token=${expired}`);
    await refused.closed();

    const logged = lines.join('');
    expect(lines.length).toBeGreaterThan(4);
    expect(logged).toContain('/api/sessions?token=%5Bredacted%5D');
    expect(logged).toContain('/ws/session/redacted-log?token=%5Bredacted%5D');
    expect(logged).toContain('/ws/session/redacted-user-log?access_token=%5Bredacted%5D');
    for (const secretText of [token, userToken, expired, secret]) expect(logged).not.toContain(secretText);
    // Nor a piece of a JWT: its payload and signature each name the user or prove them.
    for (const part of [...userToken.split('.'), ...expired.split('.')].filter((piece) => piece.length > 20)) expect(logged).not.toContain(part);
  });
});

describe('redactUrl', () => {
  it('replaces every credential in the query and leaves the rest as it was', () => {
    expect(redactUrl('/api/sessions?limit=5&token=abc&access_token=def')).toBe('/api/sessions?limit=5&token=%5Bredacted%5D&access_token=%5Bredacted%5D');
    expect(redactUrl('/ws/session/a?after=3')).toBe('/ws/session/a?after=3');
    expect(redactUrl('/health')).toBe('/health');
  });
});
