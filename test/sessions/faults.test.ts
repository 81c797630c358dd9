import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open-database.js';
import { createSessionStore } from '../../src/store/session-store.js';
import { startServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { migratedDataDir } from '../support/pglite-template.js';
import { endless, failAfterTokens, flood, scriptedRunner } from '../support/scripted-runner.js';

describe('a failing model', () => {
  it('becomes an llm_error frame and a done, keeps the partial answer, and the next turn works', async () => {
    let calls = 0;
    const server = await startServer({}, {
      runner: scriptedRunner(() => (++calls === 1 ? failAfterTokens(['Half ', 'an ', 'answer ']) : failAfterTokens([]))),
    });
    const client = await TestClient.connect(server.wsUrl, 'failing-model');
    const frames = await client.ask('hello');
    // The pieces came in one event-loop turn: the first goes at once, the others share a frame.
    expect(frames.map((frame) => frame.type)).toStrictEqual(['ack', 'token', 'token', 'error', 'done']);
    expect(frames[1]).toMatchObject({ type: 'token', content: 'Half ', seq: 2 });
    expect(frames[2]).toMatchObject({ type: 'token', content: 'an answer ', seq: 3 });
    expect(frames[3]).toMatchObject({ type: 'error', code: 'llm_error', seq: 4 });
    expect(frames[4]).toMatchObject({ type: 'done', finish_reason: 'error', seq: 5 });
    await server.app.parley.writer.flush();
    const assistant = (await server.app.parley.store.loadEvents('failing-model')).find((event) => event.event_type === 'assistant_message');
    expect(assistant).toMatchObject({ content: 'Half an answer ', metadata: { status: 'error', error_code: 'llm_error' } });
    client.send({ type: 'ping' });
    await client.waitFor('pong');
    await client.close();
    await server.close();
  });
});

describe('a dead database', () => {
  it('answers a message with storage_unavailable instead of an ack, and loses nothing it acked', async () => {
    const server = await startServer({ ACK_TIMEOUT_MS: '200' });
    const client = await TestClient.connect(server.wsUrl, 'dead-db');
    await server.app.parley.database.close();
    client.send({ type: 'message', content: 'are you there?', id: 'lost-1' });
    const error = await client.waitFor('error');
    expect(error).toMatchObject({ code: 'storage_unavailable', id: 'lost-1', recoverable: true });
    expect(client.frames.some((frame) => frame.type === 'ack')).toBe(false);
    client.send({ type: 'ping' });
    await client.waitFor('pong');
    const health = await server.app.inject({ url: '/health' });
    expect(health.statusCode).toBe(503);
    await client.close();
    await server.close();
  });

  it('cancels the model request a message started when the message cannot be stored, and sends none of its answer', async () => {
    const signals: AbortSignal[] = [];
    const server = await startServer({ ACK_TIMEOUT_MS: '200' }, {
      runner: scriptedRunner((signal) => {
        signals.push(signal);
        return endless(signal);
      }),
    });
    // The session exists (a new one's first message would need the database for its row before the model is asked).
    await server.app.parley.store.openSession('dead-db-early', null);
    const client = await TestClient.connect(server.wsUrl, 'dead-db-early');
    await server.app.parley.database.close();
    client.send({ type: 'message', content: 'are you there?', id: 'lost-2' });
    expect(await client.waitFor('error')).toMatchObject({ code: 'storage_unavailable', id: 'lost-2' });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(client.frames.filter((frame) => frame.type === 'token' || frame.type === 'ack')).toStrictEqual([]);
    await client.close();
    await server.close();
  });

  it('refuses a connection it cannot open with storage_unavailable and close code 1011', async () => {
    const server = await startServer();
    await server.app.parley.database.close();
    const client = TestClient.open(`${server.wsUrl}/ws/session/no-db`);
    expect((await client.waitFor('error')).code).toBe('storage_unavailable');
    expect(await client.closed()).toBe(1011);
    await server.close();
  });
});

describe('a slow client', () => {
  it('is closed with 1008 past the hard buffer limit while other clients get the whole answer', async () => {
    const server = await startServer(
      { WS_BUFFER_SOFT_BYTES: '16384', WS_BUFFER_HARD_BYTES: '65536' },
      { runner: scriptedRunner((signal) => flood(6000, 1000, signal)) },
    );
    const slow = await TestClient.connect(server.wsUrl, 'flooded');
    const fast = await TestClient.connect(server.wsUrl, 'flooded');
    // Stop reading: the server's buffer for this socket fills up.
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    fast.send({ type: 'message', content: 'flood me' });
    const done = await fast.waitFor('done', () => true, 0, 30_000);
    expect(done.finish_reason).toBe('stop');
    expect(TestClient.text(fast.frames)).toHaveLength(6000 * 1000);
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slow.closed()).toBe(1008);
    const metrics = await server.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/parley_slow_consumers_total 1/);
    await fast.close();
    await server.close();
  });
});

describe('shutdown', () => {
  it('cancels a turn that outlives the timeout, stores it as interrupted and closes sockets with 1001', async () => {
    const dataDir = await migratedDataDir('parley-shutdown-');
    const server = await startServer({ SHUTDOWN_TIMEOUT_MS: '100', DATA_DIR: dataDir }, { runner: scriptedRunner((signal) => endless(signal)) });
    const client = await TestClient.connect(server.wsUrl, 'shutdown-turn');
    client.send({ type: 'message', content: 'go on forever' });
    await client.waitFor('token');
    const closing = server.close();
    expect((await client.waitFor('done')).finish_reason).toBe('interrupted');
    expect(await client.closed()).toBe(1001);
    await closing;
    const delivered = TestClient.text(client.frames);

    const database = await openDatabase({ dataDir, prepare: 'auto', poolSize: 1 });
    const events = await createSessionStore(database).loadEvents('shutdown-turn');
    expect(events.map((event) => event.event_type)).toStrictEqual(['user_message', 'assistant_message']);
    expect(events[1]).toMatchObject({ content: delivered, metadata: { status: 'interrupted' } });
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });
});
