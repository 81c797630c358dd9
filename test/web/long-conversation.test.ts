import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConversation } from '../../bench/seed-conversation.js';
import { defaultFrameTurns } from '../../src/sessions/history-window.js';
import { ChatPageFixture, screenshot } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

const seededTurns = 300;

/** Whether `element` lies at least partly within the conversation's visible area. */
async function inView(page: Page, element: Locator): Promise<boolean> {
  const [box, log] = await Promise.all([element.boundingBox(), page.locator('.chat-log').boundingBox()]);
  return box !== null && log !== null && box.y + box.height > log.y && box.y < log.y + log.height;
}

/** Scrolls the conversation all the way up with the mouse wheel, as a reader would. */
async function scrollToTop(page: Page): Promise<void> {
  await page.locator('.chat-log').hover();
  await page.mouse.wheel(0, -100_000);
}

describe.runIf(hasChromium)('a long conversation in the page', () => {
  let fixture: ChatPageFixture;

  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
    await seedConversation(fixture.server.app.parley.store, 'long-page', seededTurns);
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('opens at its newest turns, and shows older ones, in order, while the reader scrolls up', async () => {
    const page = await fixture.open('/?session=long-page');
    const log = page.locator('.chat-log');
    const turns = log.locator('article.turn');
    await turns.nth(defaultFrameTurns - 1).waitFor();
    expect(await turns.count()).toBe(defaultFrameTurns);
    expect(await turns.first().locator('.user-text').innerText()).toMatch(/^Question 250:/);
    expect(await inView(page, turns.last())).toBe(true);
    expect(await page.locator('h1.title').innerText()).toBe('Conversation');

    await scrollToTop(page);
    await log.getByText(/^Question 249:/).waitFor();
    // The turn the reader was looking at stays where it was: the older ones come in above it.
    expect(await inView(page, log.getByText(/^Question 250:/))).toBe(true);
    await screenshot(page, 'long-conversation-older-turns');

    for (let attempt = 0; attempt < 10 && (await log.getByText(/^Question 0:/).count()) === 0; attempt += 1) {
      await page.locator('.older-turns').waitFor({ state: 'detached', timeout: 1_000 }).catch(() => undefined);
      await scrollToTop(page);
      await page.waitForTimeout(300);
    }
    await log.getByText(/^Question 0:/).waitFor();
    const shown = await turns.locator('.user-text').allInnerTexts();
    expect(shown.map((text) => Number(/^Question (\d+):/.exec(text)?.[1]))).toStrictEqual(Array.from({ length: seededTurns }, (_, index) => index));
    expect(await page.locator('.older-turns').count()).toBe(0);
    expect(await page.locator('h1.title').innerText()).toMatch(/^Question 0:/);
    expect(fixture.pageErrors).toStrictEqual([]);
  });
});
