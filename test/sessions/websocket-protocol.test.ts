import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../src/protocol/index.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

let server: RunningServer;
let counter = 0;
const newId = () => `ws-${process.pid}-${++counter}`;
const seqs = (frames: readonly ServerFrame[]) => frames.flatMap((frame) => ('seq' in frame && frame.seq !== undefined ? [frame.seq] : []));

beforeAll(async () => {
  server = await startServer({ MAX_FRAME_BYTES: '2048', MAX_MESSAGE_CHARS: '500' });
});
afterAll(async () => {
  await server.close();
});

describe('connecting', () => {
  it('sends a session frame first for a new id, naming the model and not resumed', async () => {
    const client = await TestClient.connect(server.wsUrl, newId());
    expect(client.frames[0]).toStrictEqual({
      type: 'session',
      session_id: client.session.session_id,
      resumed: false,
      last_seq: 0,
      model: { provider: 'offline', model: 'parley-offline', id: 'offline:parley-offline' },
      models: [{ id: 'offline:parley-offline', provider: 'offline', model: 'parley-offline', current: true }],
      turn_in_progress: false,
    });
    await client.close();
  });

  it('refuses a session id with characters outside the allowed set and closes with 1008', async () => {
    const client = TestClient.open(`${server.wsUrl}/ws/session/bad%20id!`);
    const error = await client.waitFor('error');
    expect(error.code).toBe('bad_request');
    expect(await client.closed()).toBe(1008);
  });

  it('refuses an after that is not a number', async () => {
    const client = TestClient.open(`${server.wsUrl}/ws/session/${newId()}?after=abc`);
    expect((await client.waitFor('error')).code).toBe('bad_request');
    expect(await client.closed()).toBe(1008);
  });
});

describe('a turn', () => {
  it('acks the message, streams tokens in order and ends with done, seq growing by one per frame', async () => {
    const client = await TestClient.connect(server.wsUrl, newId());
    const frames = await client.ask('hello there', { id: 'm1' });
    expect(frames[0]).toMatchObject({ type: 'ack', id: 'm1', seq: 1, content: 'hello there' });
    const tokens = frames.filter((frame) => frame.type === 'token');
    expect(tokens.length).toBeGreaterThan(3);
    expect(TestClient.text(frames)).toMatch(/offline/i);
    expect(frames.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });
    const numbers = seqs(frames);
    expect(numbers).toStrictEqual(numbers.map((_, index) => index + 1));
    await client.close();
  });

  it('answers ping with pong, also while a turn runs', async () => {
    const client = await TestClient.connect(server.wsUrl, newId());
    client.send({ type: 'ping' });
    expect(await client.waitFor('pong')).toStrictEqual({ type: 'pong' });
    await client.close();
  });

  it('calls the calculator for arithmetic and answers with its result', async () => {
    const client = await TestClient.connect(server.wsUrl, newId());
    const frames = await client.ask('what is 12*(3+4)?');
    const call = frames.find((frame) => frame.type === 'tool_call');
    const result = frames.find((frame) => frame.type === 'tool_result');
    expect(call).toMatchObject({ type: 'tool_call', name: 'calculator' });
    expect(result).toMatchObject({ type: 'tool_result', name: 'calculator', call_id: (call as { call_id: string }).call_id });
    expect(JSON.stringify((result as { result: unknown }).result)).toContain('84');
    expect(TestClient.text(frames)).toContain('84');
    await client.close();
  });

  it('calls fetch_data when asked for data and says it is sample data', async () => {
    const client = await TestClient.connect(server.wsUrl, newId());
    const frames = await client.ask('fetch data about Tokyo');
    expect(frames.find((frame) => frame.type === 'tool_call')).toMatchObject({ name: 'fetch_data' });
    expect(TestClient.text(frames)).toMatch(/Tokyo/);
    expect(TestClient.text(frames)).toMatch(/sample/i);
    await client.close();
  });

  it('stores the user message before its ack', async () => {
    const sessionId = newId();
    const client = await TestClient.connect(server.wsUrl, sessionId);
    client.send({ type: 'message', content: 'store me first', id: 'durable-1' });
    await client.waitFor('ack');
    const events = await server.app.parley.store.loadEvents(sessionId);
    expect(events.map((event) => [event.event_type, event.content])).toContainEqual(['user_message', 'store me first']);
    await client.waitFor('done');
    await client.close();
  });
});

describe('bad frames get an error frame and the socket stays usable', () => {
  const cases: Array<[string, string | Buffer, string]> = [
    ['text that is not JSON', '{not json', 'bad_frame'],
    ['a JSON value that is not an object', '42', 'bad_frame'],
    ['an unknown type', JSON.stringify({ type: 'dance' }), 'bad_frame'],
    ['a message without content', JSON.stringify({ type: 'message' }), 'bad_frame'],
    ['a message with empty content', JSON.stringify({ type: 'message', content: '' }), 'bad_frame'],
    ['a message whose content is not a string', JSON.stringify({ type: 'message', content: 42 }), 'bad_frame'],
    ['a binary frame', Buffer.from([1, 2, 3]), 'bad_frame'],
    ['a frame over MAX_FRAME_BYTES', JSON.stringify({ type: 'message', content: 'x'.repeat(3000) }), 'too_large'],
    ['content over MAX_MESSAGE_CHARS', JSON.stringify({ type: 'message', content: 'y'.repeat(600) }), 'too_large'],
  ];
  it.each(cases)('refuses %s', async (_name, payload, code) => {
    const client = await TestClient.connect(server.wsUrl, newId());
    client.socket.send(payload);
    const error = await client.waitFor('error');
    expect(error).toMatchObject({ type: 'error', code, recoverable: true });
    expect(error.message.length).toBeGreaterThan(10);
    client.send({ type: 'ping' });
    await client.waitFor('pong');
    const frames = await client.ask('still there?');
    expect(frames.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });
    await client.close();
  });
});

describe('one turn at a time', () => {
  it('refuses a second message while a turn runs with turn_in_progress', async () => {
    const slow = await startServer({ OFFLINE_TOKEN_DELAY_MS: '20' });
    const client = await TestClient.connect(slow.wsUrl, newId());
    client.send({ type: 'message', content: 'tell me something long', id: 'first' });
    await client.waitFor('token');
    client.send({ type: 'message', content: 'me too', id: 'second' });
    expect(await client.waitFor('error')).toMatchObject({ code: 'turn_in_progress', id: 'second' });
    expect((await client.waitFor('done')).finish_reason).toBe('stop');
    await client.close();
    await slow.close();
  });

  it('cancel stops the turn promptly and keeps exactly the delivered text as cancelled', async () => {
    const slow = await startServer({ OFFLINE_TOKEN_DELAY_MS: '40' });
    const sessionId = newId();
    const client = await TestClient.connect(slow.wsUrl, sessionId);
    client.send({ type: 'message', content: 'tell me about yourself' });
    await client.waitFor('token', () => true);
    await client.waitFor('token', () => true, client.frames.findIndex((frame) => frame.type === 'token') + 1);
    const cancelledAt = performance.now();
    client.send({ type: 'cancel' });
    const done = await client.waitFor('done');
    expect(performance.now() - cancelledAt).toBeLessThan(500);
    expect(done.finish_reason).toBe('cancelled');
    const delivered = TestClient.text(client.frames);
    await slow.app.parley.writer.flush();
    const events = await slow.app.parley.store.loadEvents(sessionId);
    const assistant = events.find((event) => event.event_type === 'assistant_message');
    expect(assistant?.content).toBe(delivered);
    expect(assistant?.metadata).toMatchObject({ status: 'cancelled' });
    // The next turn follows the cancelled one.
    const next = await client.ask('hello again');
    expect(next.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });
    await client.close();
    await slow.close();
  });

  it('a message with interrupt: true ends the running turn as interrupted and runs the new one', async () => {
    const slow = await startServer({ OFFLINE_TOKEN_DELAY_MS: '30' });
    const sessionId = newId();
    const client = await TestClient.connect(slow.wsUrl, sessionId);
    client.send({ type: 'message', content: 'tell me about yourself', id: 'a' });
    await client.waitFor('token');
    client.send({ type: 'message', content: 'what is 2+2?', id: 'b', interrupt: true });
    const firstDone = await client.waitFor('done');
    expect(firstDone.finish_reason).toBe('interrupted');
    const secondAck = await client.waitFor('ack', (frame) => frame.id === 'b');
    expect(secondAck.seq).toBeGreaterThan(firstDone.seq);
    const secondDone = await client.waitFor('done', (frame) => frame.seq > secondAck.seq);
    expect(secondDone.finish_reason).toBe('stop');
    await slow.app.parley.writer.flush();
    const statuses = (await slow.app.parley.store.loadEvents(sessionId))
      .filter((event) => event.event_type === 'assistant_message')
      .map((event) => event.metadata.status);
    expect(statuses).toStrictEqual(['interrupted', 'complete']);
    await client.close();
    await slow.close();
  });
});

describe('sessions outlive sockets', () => {
  it('resumes a known id with its history and the last seq', async () => {
    const sessionId = newId();
    const first = await TestClient.connect(server.wsUrl, sessionId);
    const frames = await first.ask('my name is Ada', { id: 'n1' });
    await first.close();
    const second = await TestClient.connect(server.wsUrl, sessionId);
    expect(second.session.resumed).toBe(true);
    expect(second.session.last_seq).toBe(frames.at(-1)!.type === 'done' ? (frames.at(-1) as { seq: number }).seq : -1);
    expect(second.session.history?.map((item) => item.type)).toStrictEqual(['user_message', 'assistant_message']);
    expect(second.session.history?.[0]).toMatchObject({ type: 'user_message', content: 'my name is Ada', id: 'n1' });
    expect(second.session.history?.[1]).toMatchObject({ type: 'assistant_message', status: 'complete', content: TestClient.text(frames) });
    const next = await second.ask('what is my name?');
    expect(TestClient.text(next)).toContain('Ada');
    expect(seqs(next)[0]).toBe(second.session.last_seq + 1);
    await second.close();
  });

  it('after=SEQ replays the rest of the turn in progress with no gap and no duplicate', async () => {
    const slow = await startServer({ OFFLINE_TOKEN_DELAY_MS: '15' });
    const sessionId = newId();
    const first = await TestClient.connect(slow.wsUrl, sessionId);
    first.send({ type: 'message', content: 'tell me about yourself' });
    await first.waitFor('token');
    await first.waitFor('token', () => true, first.frames.findIndex((frame) => frame.type === 'token') + 2);
    await first.close();
    const seen = first.frames.slice(1);
    const lastSeen = Math.max(...seqs(seen));
    const second = await TestClient.connect(slow.wsUrl, sessionId, { after: lastSeen });
    expect(second.session.turn_in_progress).toBe(true);
    await second.waitFor('done');
    const rest = second.frames.slice(1);
    const all = [...seen, ...rest];
    const numbers = seqs(all);
    expect(numbers).toStrictEqual(numbers.map((_, index) => index + 1));
    await slow.app.parley.writer.flush();
    const stored = (await slow.app.parley.store.loadEvents(sessionId)).find((event) => event.event_type === 'assistant_message');
    expect(TestClient.text(all)).toBe(stored?.content);
    await second.close();
    await slow.close();
  });

  it('a client that connects mid-turn without after gets the whole turn so far, then live frames', async () => {
    const slow = await startServer({ OFFLINE_TOKEN_DELAY_MS: '15' });
    const sessionId = newId();
    const first = await TestClient.connect(slow.wsUrl, sessionId);
    first.send({ type: 'message', content: 'tell me about yourself', id: 'q' });
    await first.waitFor('token');
    const late = await TestClient.connect(slow.wsUrl, sessionId);
    await Promise.all([first.waitFor('done'), late.waitFor('done')]);
    expect(late.frames.slice(1)).toStrictEqual(first.frames.slice(1));
    await first.close();
    await late.close();
    await slow.close();
  });

  it('every socket attached to a session receives every frame', async () => {
    const sessionId = newId();
    const tabA = await TestClient.connect(server.wsUrl, sessionId);
    const tabB = await TestClient.connect(server.wsUrl, sessionId);
    await tabA.ask('what is 6*7?');
    await tabB.waitFor('done');
    expect(tabB.frames.slice(1)).toStrictEqual(tabA.frames.slice(1));
    await tabA.close();
    await tabB.close();
  });

  it('a message id the session already accepted is acked again as duplicate and not run again', async () => {
    const sessionId = newId();
    const client = await TestClient.connect(server.wsUrl, sessionId);
    const first = await client.ask('what is 1+1?', { id: 'same' });
    const from = client.frames.length;
    client.send({ type: 'message', content: 'what is 1+1?', id: 'same' });
    const again = await client.waitFor('ack', () => true, from);
    expect(again).toStrictEqual({ type: 'ack', seq: (first[0] as { seq: number }).seq, id: 'same', duplicate: true });
    client.send({ type: 'ping' });
    await client.waitFor('pong', () => true, from);
    expect(client.frames.slice(from).filter((frame) => frame.type === 'token')).toHaveLength(0);
    await client.close();
    // Also after a reconnect: the id is known from the event log.
    const reconnected = await TestClient.connect(server.wsUrl, sessionId);
    reconnected.send({ type: 'message', content: 'what is 1+1?', id: 'same' });
    expect(await reconnected.waitFor('ack')).toMatchObject({ duplicate: true });
    await reconnected.close();
    const users = (await server.app.parley.store.loadEvents(sessionId)).filter((event) => event.event_type === 'user_message');
    expect(users).toHaveLength(1);
  });
});
