import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './server-process.js';

/**
 * A redis-server of the test's own, on a free port, to break on purpose: the machine's
 * Redis is shared and never stopped. Nothing is saved to disk.
 */
export interface DisposableRedis {
  url: string;
  /** SIGSTOP: connections stay open and nothing answers (a hung Redis). */
  pause(): void;
  resume(): void;
  /** SIGKILL, and waits for the exit. */
  stop(): Promise<void>;
}

/** `port`: the port of one stopped earlier, to start it again empty (a restarted Redis). */
export async function startDisposableRedis(port?: number): Promise<DisposableRedis> {
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  await untilAnswering(url);
  return {
    url,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function untilAnswering(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
}
