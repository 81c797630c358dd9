/**
 * The server side of bench/long-session.ts, in a process of its own so that the memory it
 * reports is the server's alone: Parley on an ephemeral port, conversations seeded straight
 * into its store, and its memory after garbage collection when asked (over IPC).
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { buildApp as BuildApp } from '../src/app.js';
import { loadSettings } from '../src/config.js';
import { seedConversation } from './seed-conversation.js';

export type ServerRequest =
  | { type: 'seed'; prefix: string; sessions: number; turns: number }
  | { type: 'memory' }
  | { type: 'stop' };

export type ServerReply =
  | { type: 'ready'; port: number }
  | { type: 'seeded'; ms: number }
  | { type: 'memory'; heapUsed: number; rss: number; external: number }
  | { type: 'stopped' };

// BENCH_SOURCE: another checkout's src/ (to measure a version before a change the same way).
const source = process.env.BENCH_SOURCE ?? new URL('..', import.meta.url).pathname;
const { buildApp } = (await import(pathToFileURL(`${source}/src/app.ts`).href)) as { buildApp: typeof BuildApp };

const settings = loadSettings({
  ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : { DATA_DIR: process.env.BENCH_DATA_DIR ?? 'memory://' }),
  LOG_LEVEL: 'warn',
  // Sessions stay live for the whole run: no finalize while the sockets wait.
  FINALIZE_GRACE_MS: '3600000',
  RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
  RATE_LIMIT_HTTP_PER_MINUTE: '0',
  RATE_LIMIT_CONNECTIONS_PER_MINUTE: '0',
});
const app = await buildApp(settings);
await app.listen({ port: 0, host: '127.0.0.1' });
const reply = (message: ServerReply) => process.send?.(message);

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let pass = 0; pass < 2; pass += 1) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

process.on('message', (request: ServerRequest) => {
  void (async () => {
    switch (request.type) {
      case 'seed': {
        const started = performance.now();
        for (let index = 0; index < request.sessions; index += 1) {
          await seedConversation(app.parley.store, `${request.prefix}-${index}`, request.turns);
        }
        reply({ type: 'seeded', ms: Math.round(performance.now() - started) });
        return;
      }
      case 'memory': {
        await collectGarbage();
        const { heapUsed, rss, external } = process.memoryUsage();
        reply({ type: 'memory', heapUsed, rss, external });
        return;
      }
      case 'stop':
        await app.close();
        reply({ type: 'stopped' });
        // Its database is dropped next: nothing left in this process may wait for it.
        process.exit(0);
    }
  })();
});

reply({ type: 'ready', port: (app.server.address() as AddressInfo).port });
