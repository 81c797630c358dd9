import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { hasChromium, launchChromium } from './support/launch-chromium.js';

const clientEntry = fileURLToPath(new URL('../../client/src/index.ts', import.meta.url));
type Client = typeof import('../../client/src/index.js');

/** What the page keeps on `window` between evaluations. */
interface Harness {
  tokens: string[];
  result?: Promise<{ text: string; finishReason: string; states: string[]; seqs: number[] }>;
}
// The browser's globals, as the functions passed to page.evaluate() see them.
declare const window: { harness: Harness; parleyClient?: Client };
declare const location: { origin: string };

describe.runIf(hasChromium)('@parley/client in Chromium, with the browser\'s own WebSocket', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'parley-client-browser-'));
    await build({ configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true, lib: { entry: clientEntry, formats: ['es'], fileName: 'client' }, minify: false } });
    const bundle = await readFile(join(outDir, 'client.js'), 'utf8');
    server = await startServer({ OFFLINE_TOKEN_DELAY_MS: '20' });
    browser = await launchChromium();
    page = await browser.newPage();
    // The bundled client, as if the server served it (its own origin passes the socket's origin check).
    const files: Record<string, { contentType: string; body: string }> = {
      'harness.js': { contentType: 'text/javascript', body: 'import * as client from "./client.js"; window.parleyClient = client;' },
      'client.js': { contentType: 'text/javascript', body: bundle },
    };
    await page.route(`${server.httpUrl}/client-harness/*`, (route) => route.fulfill(files[new URL(route.request().url()).pathname.split('/').pop()!] ?? { status: 404 }));
    // A document the server itself serves, so that Chromium lets it open sockets to this loopback address.
    await page.goto(`${server.httpUrl}/health`);
    await page.addScriptTag({ url: '/client-harness/harness.js', type: 'module' });
    await page.waitForFunction(() => window.parleyClient !== undefined);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('sends, iterates the tokens of the turn and ends with done', async () => {
    const outcome = await page.evaluate(async (sessionId) => {
      const { connect } = window.parleyClient!;
      const client = connect(sessionId, { url: location.origin });
      const turn = client.send('What is 12*7?', { id: 'browser-1' });
      const tokens: string[] = [];
      for await (const token of turn.tokens) tokens.push(token);
      const end = await turn.done;
      const ack = await turn.acked;
      client.close();
      return { joined: tokens.join(''), text: end.text, finishReason: end.finishReason, ackId: ack.id };
    }, `browser-${randomUUID()}`);
    expect(outcome.joined).toBe(outcome.text);
    expect(outcome.text).toContain('12*7 = 84.');
    expect([outcome.finishReason, outcome.ackId]).toStrictEqual(['stop', 'browser-1']);
  });

  it('resumes after the server drops the socket mid-answer with every token once, and types a refused message', async () => {
    const sessionId = `browser-${randomUUID()}`;
    await page.evaluate(async (id) => {
      const { connect } = window.parleyClient!;
      const client = connect(id, { url: location.origin, backoff: { baseMs: 20, maxMs: 200 } });
      const harness: Harness = { tokens: [] };
      window.harness = harness;
      const states: string[] = [];
      const seqs: number[] = [];
      client.on('state', (state) => states.push(state));
      client.on('frame', (frame) => {
        if ('seq' in frame && frame.seq !== undefined) seqs.push(frame.seq);
      });
      const turn = client.send('What can you do?');
      harness.result = (async () => {
        for await (const token of turn.tokens) harness.tokens.push(token);
        const end = await turn.done;
        return { text: end.text, finishReason: end.finishReason, states, seqs };
      })();
    }, sessionId);
    await eventually(() => page.evaluate(() => window.harness.tokens.length >= 3));
    for (const socket of server.app.websocketServer.clients) socket.terminate();
    const resumed = await page.evaluate(() => window.harness.result!);
    const events = await server.app.parley.store.listEvents(sessionId, { limit: 50 });
    const stored = events.events.find((event) => event.event_type === 'assistant_message');
    expect(resumed.text).toBe(stored?.content);
    expect(resumed.finishReason).toBe('stop');
    expect(resumed.states).toStrictEqual(['live', 'reconnecting', 'live']);
    expect(new Set(resumed.seqs).size).toBe(resumed.seqs.length);

    const refused = await page.evaluate(async (id) => {
      const { connect, ParleyClientError } = window.parleyClient!;
      const client = connect(id, { url: location.origin });
      const running = client.send('What can you do?');
      await running.acked;
      const error = await client.send('And this?').acked.then(() => null, (thrown: unknown) => thrown);
      client.close();
      return { typed: error instanceof ParleyClientError, code: (error as { code?: string } | null)?.code };
    }, sessionId);
    expect(refused).toStrictEqual({ typed: true, code: 'turn_in_progress' });
  });
});
