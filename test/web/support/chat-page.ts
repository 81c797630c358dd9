import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BuildOptions } from '../../../src/app.js';
import { startServer, type RunningServer } from '../../support/start-server.js';
import { buildWebPage } from './build-web-page.js';
import { launchChromium } from './launch-chromium.js';

const screenshotDir = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));

export const desktop = { width: 1280, height: 800 };
export const phone = { width: 390, height: 844 };

/** The built page served by the real server (offline model, in-memory database), and a browser. */
export class ChatPageFixture {
  readonly #contexts: BrowserContext[] = [];
  /** Every URL the pages asked for, to check none leaves the server. */
  readonly requests: string[] = [];
  /** Every WebSocket URL the pages opened. */
  readonly sockets: string[] = [];
  /** Uncaught errors and console errors in any page. */
  readonly pageErrors: string[] = [];

  private constructor(readonly server: RunningServer, readonly browser: Browser) {}

  /** `options`: a scripted model runner, for answers that fail or never end. */
  static async start(settings: Record<string, string> = {}, chromiumArgs: readonly string[] = [], options: BuildOptions = {}): Promise<ChatPageFixture> {
    await buildWebPage();
    const server = await startServer({ OFFLINE_TOKEN_DELAY_MS: '2', ...settings }, options);
    try {
      return new ChatPageFixture(server, await launchChromium(chromiumArgs));
    } catch (error) {
      await server.close();
      throw error;
    }
  }

  /** A new browser context (its own storage, like another person) on `path`; `until`: what to wait for (the chat connected, by default). */
  async open(
    path = '/',
    options: {
      viewport?: { width: number; height: number };
      colorScheme?: 'light' | 'dark';
      reducedMotion?: 'reduce';
      until?: string;
      /** Runs in the page before its own scripts (to watch or take away a browser API). */
      initScript?: string;
    } = {},
  ): Promise<Page> {
    const context = await this.browser.newContext({ viewport: options.viewport ?? desktop, colorScheme: options.colorScheme ?? 'light', ...(options.reducedMotion ? { reducedMotion: options.reducedMotion } : {}) });
    this.#contexts.push(context);
    if (options.initScript !== undefined) await context.addInitScript(options.initScript);
    const page = await context.newPage();
    page.on('request', (request) => this.requests.push(request.url()));
    page.on('websocket', (socket) => this.sockets.push(socket.url()));
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') this.pageErrors.push(message.text());
    });
    await page.goto(`${this.server.httpUrl}${path}`);
    await page.locator(options.until ?? '[data-connection="live"]').waitFor();
    return page;
  }

  async close(): Promise<void> {
    for (const context of this.#contexts) await context.close().catch(() => undefined);
    await this.browser.close();
    await this.server.close();
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}${name}.png` });
}

/** Types a message and sends it with Enter, as a user would. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** Waits for the n-th turn (0-based) to finish and returns it. */
export async function waitForTurnEnd(page: Page, index: number) {
  const turn = page.locator('article.turn').nth(index);
  await turn.and(page.locator('article.turn:not([data-status="streaming"]):not([data-status="sending"])')).waitFor();
  return turn;
}

export function answerOf(page: Page, index: number) {
  return page.locator('article.turn').nth(index).locator('.assistant-message');
}

/** The session id from the page's address. */
export function sessionIdOf(page: Page): string {
  const id = new URL(page.url()).searchParams.get('session');
  if (!id) throw new Error(`no session in ${page.url()}`);
  return id;
}
