import { rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadSettings } from '../../src/config.js';
import { freePort } from '../support/server-process.js';
import { answerOf, screenshot, sendMessage, sessionIdOf, waitForTurnEnd } from './support/chat-page.js';
import { buildWebPage } from './support/build-web-page.js';
import { migratedDataDir } from '../support/pglite-template.js';
import { hasChromium, launchChromium } from './support/launch-chromium.js';

/** A long offline answer: at 20 ms a piece it streams for a few seconds. */
const longQuestion = 'What can you do?';

/** A TCP proxy in front of the server whose connections can be cut and refused, as a dead network would. */
class CuttableLink {
  readonly #sockets = new Set<Socket>();
  #blocked = false;
  readonly server: Server;

  private constructor(targetPort: number) {
    this.server = createServer((incoming) => {
      if (this.#blocked) return incoming.destroy();
      const outgoing = connect(targetPort, '127.0.0.1');
      for (const socket of [incoming, outgoing]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      incoming.pipe(outgoing).pipe(incoming);
      incoming.on('close', () => outgoing.destroy());
      outgoing.on('close', () => incoming.destroy());
    });
  }

  static async open(targetPort: number): Promise<CuttableLink> {
    const link = new CuttableLink(targetPort);
    await new Promise<void>((resolve) => link.server.listen(0, '127.0.0.1', resolve));
    return link;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  cut(): void {
    this.#blocked = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  restore(): void {
    this.#blocked = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe.runIf(hasChromium)('the composer while the connection is down', () => {
  let dataDir: string;
  let port: number;
  let app: FastifyInstance | null = null;
  let browser: Browser;

  /** The server on a fixed port with its database on disk, so that it can stop and come back with the session. */
  async function startServer(): Promise<void> {
    const settings = loadSettings({
      DATA_DIR: dataDir,
      OFFLINE_TOKEN_DELAY_MS: '20',
      FINALIZE_GRACE_MS: '100',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_HTTP_PER_MINUTE: '0',
      RATE_LIMIT_MESSAGES_PER_MINUTE: '0',
    });
    app = await buildApp(settings);
    await app.listen({ port, host: '127.0.0.1' });
  }

  async function stopServer(): Promise<void> {
    await app?.close();
    app = null;
  }

  beforeAll(async () => {
    await buildWebPage();
    dataDir = await migratedDataDir('parley-offline-composer-');
    port = await freePort();
    await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stopServer();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function userMessages(sessionId: string): Promise<{ contents: string[]; answers: number }> {
    const { events } = await app!.parley.store.listEvents(sessionId, { limit: 100 });
    return {
      contents: events.filter((event) => event.event_type === 'user_message').map((event) => event.content ?? ''),
      answers: events.filter((event) => event.event_type === 'assistant_message').length,
    };
  }

  it('says it reconnects by itself and drops the Stop button and caret when the link dies mid-answer, then sends what was written meanwhile once, in order', async () => {
    const link = await CuttableLink.open(port);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const page: Page = await context.newPage();
    await page.goto(`http://127.0.0.1:${link.port}/`);
    await page.locator('[data-connection="live"]').waitFor();
    const sessionId = sessionIdOf(page);

    await sendMessage(page, longQuestion);
    await page.locator('.streaming-text').waitFor();
    const stop = page.getByRole('button', { name: 'Stop the answer (Esc)' });
    await stop.waitFor();

    link.cut();
    const banner = page.locator('.connection-banner[role="status"]');
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain('Parley reconnects by itself');
    // The page still holds a half-written answer, but nothing is being written: no Stop, no caret.
    expect(await page.locator('article.turn[data-status="streaming"]').count()).toBe(1);
    expect(await stop.count()).toBe(0);
    const caretShown = await page.evaluate(`[...document.querySelectorAll('.streaming-text *')].some((element) => {
      const after = getComputedStyle(element, '::after');
      return after.display !== 'none' && after.content !== 'none' && after.content !== 'normal';
    })`);
    expect(caretShown).toBe(false);
    await screenshot(page, 'offline-composer-cut-mid-answer');

    await sendMessage(page, 'What is 6*7?');
    await sendMessage(page, 'What is 12*(3+4)?');
    await expect.poll(() => page.locator('.user-state').allTextContents()).toStrictEqual(['Waiting to send…', 'Waiting to send…']);
    await expect.poll(() => banner.textContent()).toContain('2 messages wait to be sent');

    link.restore();
    await page.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });
    await waitForTurnEnd(page, 0);
    await waitForTurnEnd(page, 1);
    await waitForTurnEnd(page, 2);
    expect(await page.locator('article.turn').count()).toBe(3);
    expect(await answerOf(page, 1).textContent()).toContain('42');
    expect(await answerOf(page, 2).textContent()).toContain('84');
    expect(await banner.textContent()).toBe('');
    const stored = await userMessages(sessionId);
    expect(stored.contents).toStrictEqual([longQuestion, 'What is 6*7?', 'What is 12*(3+4)?']);
    expect(stored.answers).toBe(3);
    await context.close();
    await link.close();
  });

  it('keeps what was written while the server restarts and sends it once, in order, when the server is back', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const page: Page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('[data-connection="live"]').waitFor();
    const sessionId = sessionIdOf(page);

    await sendMessage(page, longQuestion);
    await page.locator('.streaming-text').waitFor();
    const stop = page.getByRole('button', { name: 'Stop the answer (Esc)' });
    await stop.waitFor();

    await stopServer();
    const banner = page.locator('.connection-banner[role="status"]');
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain('Parley reconnects by itself');
    expect(await stop.count()).toBe(0);

    await sendMessage(page, 'What is 6*7?');
    await sendMessage(page, 'What is 12*(3+4)?');
    await expect.poll(() => page.locator('.user-state').allTextContents()).toStrictEqual(['Waiting to send…', 'Waiting to send…']);
    await expect.poll(() => banner.textContent()).toContain('2 messages wait to be sent');
    await screenshot(page, 'offline-composer-queued');

    await startServer();
    // It comes back by itself, on its own schedule: no button pressed.
    await page.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });
    await waitForTurnEnd(page, 1);
    await waitForTurnEnd(page, 2);
    expect(await page.locator('article.turn').count()).toBe(3);
    expect(await answerOf(page, 1).textContent()).toContain('42');
    expect(await answerOf(page, 2).textContent()).toContain('84');
    expect(await banner.textContent()).toBe('');
    expect(await page.locator('.user-state').count()).toBe(0);

    // Each ran once on the server, in the order written.
    const stored = await userMessages(sessionId);
    expect(stored.contents).toStrictEqual([longQuestion, 'What is 6*7?', 'What is 12*(3+4)?']);
    expect(stored.answers).toBe(3);
    await screenshot(page, 'offline-composer-sent');
    await context.close();
  });
});
