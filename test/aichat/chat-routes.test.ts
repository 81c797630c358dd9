import type { UIMessageChunk } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { chatTransport, finalMessage, send, textOf, userMessage } from './support/chat-client.js';
import { chatScript, countingText } from './support/chat-script.js';
import { NodeChat } from './support/node-chat.js';

interface StoredEvent {
  event_type: string;
  content: string | null;
  metadata: Record<string, unknown>;
}

/** Reads a stream until its first piece of text, then leaves it as a dropped client does. */
async function readUntilText(stream: ReadableStream<UIMessageChunk>, controller: AbortController): Promise<UIMessageChunk[]> {
  const reader = stream.getReader();
  const seen: UIMessageChunk[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before any text: ${JSON.stringify(seen)}`);
    seen.push(value);
    if (value.type === 'text-delta') break;
  }
  controller.abort();
  await reader.cancel().catch(() => undefined);
  return seen;
}

describe.each(serverDatabaseVariants)('AI SDK chat apps on $kind', (variant) => {
  let database: ServerDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await variant.create();
    server = await startServer(database.settings, { runner: chatScript });
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  const transport = () => chatTransport(server.httpUrl);
  const events = async (sessionId: string): Promise<StoredEvent[]> =>
    (await server.app.inject({ url: `/api/sessions/${sessionId}/events` })).json<{ events: StoredEvent[] }>().events;
  const answers = async (sessionId: string) => (await events(sessionId)).filter((event) => event.event_type === 'assistant_message');

  it('streams the answer as one assistant message and logs the turn under the UI message id', async () => {
    const message = await finalMessage(await send(transport(), `text-${variant.kind}`, [userMessage('u1', 'hello')]));
    expect(message.role).toBe('assistant');
    expect(message.id).toMatch(/^answer-\d+$/);
    expect(textOf(message)).toBe('You said: hello');
    const logged = await events(`text-${variant.kind}`);
    expect(logged.map((event) => [event.event_type, event.content, event.metadata.message_id ?? event.metadata.status])).toStrictEqual([
      ['user_message', 'hello', 'u1'],
      ['assistant_message', 'You said: hello', 'complete'],
    ]);
  });

  it('shows tool calls and their results as tool parts of the message', async () => {
    const message = await finalMessage(await send(transport(), `tool-${variant.kind}`, [userMessage('u1', 'tool')]));
    expect(message.parts).toMatchObject([
      { type: 'step-start' },
      { type: 'text', text: 'Let me compute.', state: 'done' },
      { type: 'dynamic-tool', toolName: 'calculator', toolCallId: 'call-1', state: 'output-available', input: { expression: '6*7' }, output: { expression: '6*7', result: 42 } },
      { type: 'step-start' },
      { type: 'text', text: 'It is 42.', state: 'done' },
    ]);
    expect(message.parts).toHaveLength(5);
  });

  it('sends the turn to the WebSocket clients of the same session too', async () => {
    const sessionId = `shared-${variant.kind}`;
    const socket = await TestClient.connect(server.wsUrl, sessionId);
    const message = await finalMessage(await send(transport(), sessionId, [userMessage('from-app', 'count:5')]));
    const done = await socket.waitFor('done');
    const frames = socket.frames.filter((frame) => 'seq' in frame && frame.seq !== undefined && frame.seq <= done.seq);
    expect(frames[0]).toMatchObject({ type: 'ack', id: 'from-app', content: 'count:5' });
    expect(TestClient.text(frames)).toBe(textOf(message));
    expect(textOf(message)).toBe(countingText(5));
    expect(done.finish_reason).toBe('stop');
    await socket.close();
  });

  it('cancels the turn when the client aborts the request, as a WebSocket cancel does', async () => {
    const sessionId = `stop-${variant.kind}`;
    const socket = await TestClient.connect(server.wsUrl, sessionId);
    const controller = new AbortController();
    const seen = await readUntilText(await send(transport(), sessionId, [userMessage('u1', 'count:200')], controller.signal), controller);
    expect(seen[0]).toMatchObject({ type: 'start' });
    expect(await socket.waitFor('done')).toMatchObject({ finish_reason: 'cancelled' });
    const [answer] = await eventually(async () => {
      const stored = await answers(sessionId);
      return stored.length > 0 ? stored : undefined;
    });
    expect(answer!.metadata.status).toBe('cancelled');
    expect(answer!.content).not.toBe('');
    expect(countingText(200).startsWith(answer!.content ?? 'x')).toBe(true);
    await socket.close();
  });

  it('keeps the turn running on a dropped connection when asked to, and resumes its whole stream', async () => {
    const sessionId = `resume-${variant.kind}`;
    const resumable = chatTransport(server.httpUrl, { body: { on_disconnect: 'continue' } });
    const controller = new AbortController();
    const seen = await readUntilText(await send(resumable, sessionId, [userMessage('u1', 'count:40')], controller.signal), controller);
    const resumed = await resumable.reconnectToStream({ chatId: sessionId });
    expect(resumed).not.toBeNull();
    const message = await finalMessage(resumed!);
    expect(message.id).toBe((seen[0] as { messageId: string }).messageId);
    expect(textOf(message)).toBe(countingText(40));
    expect((await answers(sessionId)).map((answer) => answer.metadata.status)).toStrictEqual(['complete']);
  });

  it('resumes a turn a WebSocket client started, and answers 204 when no turn runs', async () => {
    const sessionId = `ws-started-${variant.kind}`;
    const socket = await TestClient.connect(server.wsUrl, sessionId);
    socket.send({ type: 'message', content: 'count:30', id: 'ws-1' });
    await socket.waitFor('token');
    const message = await finalMessage((await transport().reconnectToStream({ chatId: sessionId }))!);
    expect(textOf(message)).toBe(countingText(30));
    expect(await transport().reconnectToStream({ chatId: sessionId })).toBeNull();
    expect(await transport().reconnectToStream({ chatId: `never-${variant.kind}` })).toBeNull();
    await socket.close();
  });

  it('answers 409 turn_in_progress while a turn runs, and interrupts it when asked', async () => {
    const sessionId = `busy-${variant.kind}`;
    const socket = await TestClient.connect(server.wsUrl, sessionId);
    socket.send({ type: 'message', content: 'count:200', id: 'long' });
    await socket.waitFor('token');
    await expect(send(transport(), sessionId, [userMessage('u2', 'hello')])).rejects.toThrow(/turn_in_progress/);
    const interrupting = chatTransport(server.httpUrl, { body: { interrupt: true } });
    const message = await finalMessage(await send(interrupting, sessionId, [userMessage('u2', 'hello')]));
    expect(textOf(message)).toBe('You said: hello');
    expect(await socket.waitFor('done')).toMatchObject({ finish_reason: 'interrupted' });
    await socket.close();
  });

  it('runs a repeated message once and streams its answer again', async () => {
    const sessionId = `repeat-${variant.kind}`;
    const first = await finalMessage(await send(transport(), sessionId, [userMessage('u1', 'tool')]));
    const again = await finalMessage(await send(transport(), sessionId, [userMessage('u1', 'tool')]));
    expect(again.id).toBe(first.id);
    expect(textOf(again)).toBe(textOf(first));
    expect(again.parts.filter((part) => part.type === 'dynamic-tool')).toHaveLength(1);
    expect((await events(sessionId)).filter((event) => event.event_type === 'user_message')).toHaveLength(1);
  });

  it('stops a turn left running through POST /api/chat/{id}/stop', async () => {
    const sessionId = `stop-endpoint-${variant.kind}`;
    const socket = await TestClient.connect(server.wsUrl, sessionId);
    const resumable = chatTransport(server.httpUrl, { body: { on_disconnect: 'continue' } });
    const controller = new AbortController();
    await readUntilText(await send(resumable, sessionId, [userMessage('u1', 'count:300')], controller.signal), controller);
    const stopped = await fetch(`${server.httpUrl}/api/chat/${sessionId}/stop`, { method: 'POST' });
    expect(stopped.status).toBe(204);
    expect(await socket.waitFor('done')).toMatchObject({ finish_reason: 'cancelled' });
    await socket.close();
  });

  it("works with the AI SDK's Chat: send, then stop", async () => {
    const sessionId = `chat-class-${variant.kind}`;
    const chat = new NodeChat(sessionId, transport());
    await chat.sendMessage({ text: 'hello' });
    expect(chat.status).toBe('ready');
    expect(chat.messages.map((message) => [message.role, textOf(message)])).toStrictEqual([
      ['user', 'hello'],
      ['assistant', 'You said: hello'],
    ]);
    const sending = chat.sendMessage({ text: 'count:300' });
    await eventually(() => chat.messages.length === 4 && textOf(chat.messages[3]!).length > 0);
    await chat.stop();
    await sending;
    expect(chat.status).toBe('ready');
    const stored = await eventually(async () => {
      const all = await answers(sessionId);
      return all.length === 2 ? all : undefined;
    });
    expect(stored[1]!.metadata.status).toBe('cancelled');
  });
});

describe('POST /api/chat refuses bad requests', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({}, { runner: chatScript });
  });
  afterAll(async () => server?.close());

  const post = (body: unknown) =>
    server.app.inject({ method: 'POST', url: '/api/chat', headers: { 'content-type': 'application/json' }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
  const hello = [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hi' }] }];

  it.each([
    ['a body that is not JSON', '{"id":', 400, 'bad_request'],
    ['no chat id', { messages: hello }, 400, 'bad_request'],
    ['a chat id with characters a session id cannot have', { id: 'a/b', messages: hello }, 400, 'bad_request'],
    ['no messages', { id: 'c', messages: [] }, 400, 'bad_request'],
    ['a last message from the assistant', { id: 'c', messages: [{ id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'x' }] }] }, 400, 'bad_request'],
    ['a user message without text', { id: 'c', messages: [{ id: 'u1', role: 'user', parts: [] }] }, 400, 'bad_request'],
    ['an unknown trigger', { id: 'c', messages: hello, trigger: 'resume' }, 400, 'bad_request'],
    ['a body over 1 MiB', { id: 'c', messages: hello, padding: 'x'.repeat(1024 * 1024) }, 413, 'too_large'],
  ])('answers %s with a problem', async (_name, body, status, code) => {
    const response = await post(body);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code });
  });

  it('answers a message over MAX_MESSAGE_CHARS with 413 too_large', async () => {
    const response = await post({ id: 'long-message', messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'x'.repeat(16_001) }] }] });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'too_large' });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const paths = (await server.app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>().paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/chat', '/api/chat/{id}/stream', '/api/chat/{id}/stop']));
  });
});
