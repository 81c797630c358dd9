import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Subscriber } from '../../src/sessions/subscriber.js';

/** The four things a Subscriber reads or calls on a socket; the buffer level is the test's to set. */
class FakeSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: unknown[] = [];
  closedWith: { code: number; reason: string } | null = null;

  send(data: string): void {
    this.sent.push(JSON.parse(data));
    this.bufferedAmount += data.length;
  }

  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }
}

const limits = { softBytes: 1_000, hardBytes: 10_000 };

function setUp() {
  const socket = new FakeSocket();
  const slow: Subscriber[] = [];
  const subscriber = new Subscriber(socket, limits, (which) => slow.push(which));
  const token = (seq: number, content: string) =>
    subscriber.sendToken(seq, content, JSON.stringify({ type: 'token', seq, content }));
  return { socket, subscriber, slow, token };
}

describe('a subscriber', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends every frame as it comes while the socket keeps up', () => {
    const { socket, subscriber, token } = setUp();
    token(2, 'Hel');
    token(3, 'lo');
    subscriber.send(JSON.stringify({ type: 'done', seq: 4, finish_reason: 'stop' }));
    expect(socket.sent).toStrictEqual([
      { type: 'token', seq: 2, content: 'Hel' },
      { type: 'token', seq: 3, content: 'lo' },
      { type: 'done', seq: 4, finish_reason: 'stop' },
    ]);
  });

  it('merges tokens while the buffer is above the soft limit, and sends them as one frame with the last seq once it drains', async () => {
    const { socket, token } = setUp();
    socket.bufferedAmount = 1_500;
    token(2, 'Once ');
    token(3, 'upon ');
    token(4, 'a time');
    await vi.advanceTimersByTimeAsync(100);
    expect(socket.sent).toStrictEqual([]);

    socket.bufferedAmount = 0;
    await vi.advanceTimersByTimeAsync(15);

    expect(socket.sent).toStrictEqual([{ type: 'token', seq: 4, content: 'Once upon a time' }]);
  });

  it('keeps merging after the buffer drains below the limit, until the merged text has gone out: order is kept', async () => {
    const { socket, token } = setUp();
    socket.bufferedAmount = 1_500;
    token(2, 'a');
    socket.bufferedAmount = 0;
    token(3, 'b');
    await vi.advanceTimersByTimeAsync(15);
    token(4, 'c');
    expect(socket.sent).toStrictEqual([
      { type: 'token', seq: 3, content: 'ab' },
      { type: 'token', seq: 4, content: 'c' },
    ]);
  });

  it('sends merged tokens before any other frame', () => {
    const { socket, subscriber, token } = setUp();
    socket.bufferedAmount = 1_500;
    token(2, 'partial ');
    token(3, 'answer');
    subscriber.send(JSON.stringify({ type: 'done', seq: 4, finish_reason: 'cancelled' }));
    expect(socket.sent).toStrictEqual([
      { type: 'token', seq: 3, content: 'partial answer' },
      { type: 'done', seq: 4, finish_reason: 'cancelled' },
    ]);
  });

  it('closes a socket past the hard limit with 1008 slow_consumer, tells its session once and sends nothing more', () => {
    const { socket, subscriber, slow, token } = setUp();
    socket.bufferedAmount = 9_990;
    token(2, 'x'.repeat(20));
    expect(socket.closedWith).toStrictEqual({ code: 1008, reason: 'slow_consumer' });
    expect(slow).toStrictEqual([subscriber]);
    token(3, 'more');
    subscriber.send(JSON.stringify({ type: 'done', seq: 4, finish_reason: 'stop' }));
    expect(socket.sent).toStrictEqual([]);
    expect(slow).toHaveLength(1);
  });

  it('closes a socket whose next frame would pass the hard limit, even with no tokens merged', () => {
    const { socket, subscriber, slow } = setUp();
    socket.bufferedAmount = 9_990;
    subscriber.send(JSON.stringify({ type: 'tool_result', seq: 5, call_id: 'c', name: 'fetch_data', result: 'y'.repeat(50), duration_ms: 1 }));
    expect(socket.closedWith?.code).toBe(1008);
    expect(slow).toHaveLength(1);
  });

  it('sends its merged tokens before closing on shutdown', () => {
    const { socket, subscriber, token } = setUp();
    socket.bufferedAmount = 1_500;
    token(2, 'last words');
    subscriber.close(1001, 'server shutting down');
    expect(socket.sent).toStrictEqual([{ type: 'token', seq: 2, content: 'last words' }]);
    expect(socket.closedWith).toStrictEqual({ code: 1001, reason: 'server shutting down' });
  });

  it('sends nothing once detached, and stops waiting for the buffer to drain', async () => {
    const { socket, subscriber, token } = setUp();
    socket.bufferedAmount = 1_500;
    token(2, 'never sent');
    subscriber.detach();
    socket.bufferedAmount = 0;
    await vi.advanceTimersByTimeAsync(100);
    subscriber.send(JSON.stringify({ type: 'pong' }));
    expect(socket.sent).toStrictEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends nothing to a socket the client closed', () => {
    const { socket, subscriber, token } = setUp();
    socket.readyState = 3;
    token(2, 'lost');
    subscriber.send(JSON.stringify({ type: 'pong' }));
    expect(subscriber.closed).toBe(true);
    expect(socket.sent).toStrictEqual([]);
  });
});
