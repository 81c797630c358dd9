import type { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

const hardBytes = 16 * 1024;
/** The close frame itself goes out past the limit: at most a control frame's 127 bytes. */
const mostAllowed = hardBytes + 127;
let server: RunningServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

/** The server's side of the one socket connected to it. */
function serverSocket(running: RunningServer): WebSocket {
  const [socket] = [...running.app.websocketServer.clients];
  if (!socket) throw new Error('no socket is connected');
  return socket;
}

/** Stops reading on the client's side: what the server sends piles up in its own buffer. */
function stopReading(client: TestClient): () => void {
  const raw = (client.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  raw.pause();
  return () => raw.resume();
}

function closeOf(client: TestClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => client.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** Samples the server side's unread bytes until it leaves OPEN; returns the most seen. */
async function watchUntilClosed(socket: WebSocket): Promise<number> {
  let most = 0;
  await eventually(() => {
    most = Math.max(most, socket.bufferedAmount);
    return socket.readyState !== socket.OPEN;
  }, 30_000, 1);
  return Math.max(most, socket.bufferedAmount);
}

describe('a client that sends without reading', () => {
  it('is closed with 1008 bad_frame when it floods bad frames, after a bounded number of error frames', async () => {
    server = await startServer({ WS_BUFFER_SOFT_BYTES: '4096', WS_BUFFER_HARD_BYTES: String(hardBytes) });
    const client = await TestClient.connect(server.wsUrl, 'bad-frame-flood');
    const closed = closeOf(client);
    const resume = stopReading(client);
    for (let index = 0; index < 100_000; index += 1) client.socket.send('x');

    const mostBuffered = await watchUntilClosed(serverSocket(server));
    resume();

    expect(await closed).toStrictEqual({ code: 1008, reason: 'bad_frame' });
    expect(mostBuffered).toBeLessThanOrEqual(mostAllowed);
    const errors = client.frames.filter((frame) => frame.type === 'error');
    expect(errors.length).toBeLessThanOrEqual(21);
    expect(errors.at(-1)).toMatchObject({ code: 'bad_frame', message: 'Too many bad frames; the connection is closed.' });
    expect((await server.app.inject({ url: '/metrics' })).body).toMatch(/^parley_ws_bad_frame_closes_total 1$/m);
  }, 120_000);

  it('is closed with 1008 slow_consumer when it floods protocol pings, its unread pongs bounded', async () => {
    server = await startServer({ WS_BUFFER_SOFT_BYTES: '4096', WS_BUFFER_HARD_BYTES: String(hardBytes) });
    const client = await TestClient.connect(server.wsUrl, 'ping-flood');
    const closed = closeOf(client);
    const resume = stopReading(client);
    const payload = Buffer.alloc(125, 1);
    // 25 MB of pongs: more than the kernel's socket buffers hold, so the server's own buffer fills.
    for (let index = 0; index < 200_000; index += 1) client.socket.ping(payload);

    const mostBuffered = await watchUntilClosed(serverSocket(server));
    resume();

    expect(await closed).toMatchObject({ code: 1008, reason: 'slow_consumer' });
    expect(mostBuffered).toBeLessThanOrEqual(mostAllowed);
  }, 120_000);
});

describe('a client that makes mistakes', () => {
  it('gets an error frame for each of 20 bad frames in a row and stays connected', async () => {
    server = await startServer();
    const client = await TestClient.connect(server.wsUrl, 'mistakes');
    for (let index = 0; index < 20; index += 1) client.send('{not json');
    client.send({ type: 'ping' });
    await client.waitFor('pong');
    expect(client.frames.filter((frame) => frame.type === 'error')).toHaveLength(20);
    const frames = await client.ask('still there?');
    expect(frames.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });
    await client.close();
  }, 120_000);

  it('is not sent back a long unknown type it sent', async () => {
    server = await startServer();
    const client = await TestClient.connect(server.wsUrl, 'long-type');
    client.send({ type: 'x'.repeat(50_000) });
    const error = await client.waitFor('error');
    expect(error).toMatchObject({ code: 'bad_frame', message: 'Unknown frame type; expected message, cancel or ping.' });
    client.send({ type: 'dance' });
    expect(await client.waitFor('error', () => true, client.frames.indexOf(error) + 1)).toMatchObject({ message: 'Unknown frame type "dance"; expected message, cancel or ping.' });
    await client.close();
  }, 120_000);
});

describe('frames waiting behind a message whose ack waits for the database', () => {
  it('stop the socket being read past a bound, and every one is answered, in order, once the write is done', async () => {
    server = await startServer();
    const client = await TestClient.connect(server.wsUrl, 'queued-frames');
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let markHeld!: () => void;
    const held = new Promise<void>((resolve) => {
      markHeld = resolve;
    });
    // PGlite runs one statement at a time: an open transaction holds every write back.
    const transaction = server.app.parley.database.transaction(async () => {
      markHeld();
      await released;
    });
    await held;
    client.send({ type: 'message', content: 'waits for the database', id: 'm1' });
    for (let index = 0; index < 5_000; index += 1) client.send({ type: 'ping' });

    await eventually(() => serverSocket(server!).isPaused);
    release();
    await transaction;

    expect(await client.waitFor('ack')).toMatchObject({ id: 'm1' });
    await eventually(() => client.frames.filter((frame) => frame.type === 'pong').length === 5_000, 30_000);
    const ackIndex = client.frames.findIndex((frame) => frame.type === 'ack');
    expect(client.frames.findIndex((frame) => frame.type === 'pong')).toBeGreaterThan(ackIndex);
    expect(serverSocket(server).isPaused).toBe(false);
    await client.waitFor('done');
    await client.close();
  }, 120_000);
});

describe('shutdown', () => {
  it('is not held up by a client that does not read', async () => {
    const running = await startServer({ SHUTDOWN_TIMEOUT_MS: '100' });
    const client = await TestClient.connect(running.wsUrl, 'not-reading-at-shutdown');
    stopReading(client);

    const startedAt = performance.now();
    await running.close();

    // ws waits 30 s for an answer to its close; the server cuts the socket after 2 s.
    expect(performance.now() - startedAt).toBeLessThan(10_000);
    client.socket.terminate();
  }, 120_000);
});
