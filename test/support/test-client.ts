import WebSocket from 'ws';
import type { ServerFrame } from '../../src/protocol/index.js';

type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/**
 * A real WebSocket client that records every frame and lets a test wait for the one it
 * needs (never a fixed sleep).
 */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  closeCode: number | null = null;
  #waiters: Array<{ from: number; test: (frame: ServerFrame) => boolean; resolve: (frame: ServerFrame) => void }> = [];
  #closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString('utf8')) as ServerFrame;
      this.frames.push(frame);
      const index = this.frames.length - 1;
      this.#waiters = this.#waiters.filter((waiter) => {
        if (index >= waiter.from && waiter.test(frame)) {
          waiter.resolve(frame);
          return false;
        }
        return true;
      });
    });
    this.#closed = new Promise((resolve) => socket.on('close', (code) => {
      this.closeCode = code;
      resolve(code);
    }));
  }

  /** Connects and waits for the `session` frame. */
  static async connect(baseUrl: string, sessionId: string, query: Record<string, string | number> = {}): Promise<TestClient> {
    const search = new URLSearchParams(Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]))).toString();
    const socket = new WebSocket(`${baseUrl}/ws/session/${sessionId}${search ? `?${search}` : ''}`);
    const client = new TestClient(socket);
    await client.waitFor('session');
    return client;
  }

  /** Connects without waiting for anything (for refused connections). */
  static open(url: string): TestClient {
    return new TestClient(new WebSocket(url));
  }

  get session(): FrameOf<'session'> {
    return this.frames.find((frame): frame is FrameOf<'session'> => frame.type === 'session')!;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame of `type` (matching `test`) at or after frame index `from`, waiting if needed. */
  waitFor<T extends ServerFrame['type']>(type: T, test: (frame: FrameOf<T>) => boolean = () => true, from = 0, timeoutMs = 10_000): Promise<FrameOf<T>> {
    const matches = (frame: ServerFrame): boolean => frame.type === type && test(frame as FrameOf<T>);
    const found = this.frames.slice(from).find(matches);
    if (found) return Promise.resolve(found as FrameOf<T>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`)), timeoutMs);
      this.#waiters.push({
        from,
        test: matches,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame as FrameOf<T>);
        },
      });
    });
  }

  /** Sends a message and returns every frame from its ack (or error) through `done`. */
  async ask(content: string, extra: Record<string, unknown> = {}): Promise<ServerFrame[]> {
    const from = this.frames.length;
    this.send({ type: 'message', content, ...extra });
    await this.waitFor('done', () => true, from);
    return this.frames.slice(from);
  }

  /** The answer text of frames, as the user would read it. */
  static text(frames: readonly ServerFrame[]): string {
    return frames.filter((frame): frame is FrameOf<'token'> => frame.type === 'token').map((frame) => frame.content).join('');
  }

  closed(): Promise<number> {
    return this.#closed;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.#closed;
  }
}
