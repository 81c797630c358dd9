import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWithSecret, userClaims } from '../auth/support/tokens.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { chatTransport, finalMessage, send, textOf, userMessage } from './support/chat-client.js';
import { chatScript } from './support/chat-script.js';

const secret = 'chat-access-jwt-secret-of-at-least-forty-chars';

describe('who may use /api/chat', () => {
  let server: RunningServer;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    server = await startServer({ AUTH_JWT_SECRET: secret, API_TOKEN: 'chat-access-operator' }, { runner: chatScript });
    alice = await signWithSecret(secret, userClaims({ sub: 'alice' }));
    bob = await signWithSecret(secret, userClaims({ sub: 'bob' }));
    const message = await finalMessage(await send(chatTransport(server.httpUrl, { headers: { authorization: `Bearer ${alice}` } }), 'alice-chat', [userMessage('a1', 'hello')]));
    expect(textOf(message)).toBe('You said: hello');
  });
  afterAll(async () => server?.close());

  const as = (token: string) => chatTransport(server.httpUrl, { headers: { authorization: `Bearer ${token}` } });

  it("makes the chat's creator its owner, who reads it and resumes it", async () => {
    const session = await server.app.inject({ url: '/api/sessions/alice-chat', headers: { authorization: `Bearer ${alice}` } });
    expect(session.json()).toMatchObject({ user_id: 'alice' });
    const next = await finalMessage(await send(as(alice), 'alice-chat', [userMessage('a2', 'again')]));
    expect(textOf(next)).toBe('You said: again');
  });

  it("answers another user's chat as if it did not exist, and runs nothing there", async () => {
    await expect(send(as(bob), 'alice-chat', [userMessage('b1', 'let me in')])).rejects.toThrow(/"status":404.*"code":"not_found"/);
    const stop = await fetch(`${server.httpUrl}/api/chat/alice-chat/stop`, { method: 'POST', headers: { authorization: `Bearer ${bob}` } });
    expect(stop.status).toBe(404);
    const unknownStop = await fetch(`${server.httpUrl}/api/chat/nobody-chat/stop`, { method: 'POST', headers: { authorization: `Bearer ${bob}` } });
    expect(await stop.json()).toMatchObject({ code: 'not_found', detail: 'No session "alice-chat"' });
    expect(unknownStop.status).toBe(404);
    const events = await server.app.inject({ url: '/api/sessions/alice-chat/events', headers: { authorization: 'Bearer chat-access-operator' } });
    expect(events.json<{ events: Array<{ content: string }> }>().events.map((event) => event.content)).not.toContain('let me in');
  });

  it("gives another user's stream no more than an unknown one: nothing to resume", async () => {
    const socket = await TestClient.connect(server.wsUrl, 'alice-chat', { access_token: alice });
    socket.send({ type: 'message', content: 'count:100', id: 'a3' });
    await socket.waitFor('token');
    expect(await as(bob).reconnectToStream({ chatId: 'alice-chat' })).toBeNull();
    const own = await as(alice).reconnectToStream({ chatId: 'alice-chat' });
    expect(own).not.toBeNull();
    await own!.cancel();
    await socket.close();
  });

  it('refuses a request without a valid token with 401', async () => {
    await expect(send(chatTransport(server.httpUrl), 'alice-chat', [userMessage('x1', 'hi')])).rejects.toThrow(/"status":401/);
    await expect(send(as('not-a-token'), 'new-chat', [userMessage('x1', 'hi')])).rejects.toThrow(/"status":401/);
    const stream = await fetch(`${server.httpUrl}/api/chat/alice-chat/stream`);
    expect(stream.status).toBe(401);
  });
});
