import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/store/types.js';
import type { Locator, Page } from 'playwright-core';
import { eventually } from '../support/eventually.js';
import { ChatPageFixture, screenshot, sessionIdOf } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

const turns = 120;
/** The turn whose question the search finds: far older than the newest 50 the session frame holds. */
const foundTurn = 7;
const foundSeq = foundTurn * 10 + 1;

/** Whether `element` lies at least partly within the conversation's visible area. */
async function inView(page: Page, element: Locator): Promise<boolean> {
  const [box, log] = await Promise.all([element.boundingBox(), page.locator('.chat-log').boundingBox()]);
  return box !== null && log !== null && box.y + box.height > log.y && box.y < log.y + log.height;
}

describe.runIf(hasChromium)('search in the page', () => {
  let fixture: ChatPageFixture;

  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
    const { store } = fixture.server.app.parley;
    await store.openSession('long-voyage', null);
    const events: NewEvent[] = [];
    for (let index = 0; index < turns; index += 1) {
      const question = index === foundTurn ? 'How tall is the Fastnet lighthouse?' : `Question ${index} about the weather at sea`;
      events.push(
        { session_id: 'long-voyage', event_type: 'user_message', content: question, metadata: {}, seq: index * 10 + 1 },
        { session_id: 'long-voyage', event_type: 'assistant_message', content: `Answer ${index}: calm seas.`, metadata: { status: 'complete' }, seq: index * 10 + 9 },
      );
    }
    await store.appendEvents(events);
    await store.openSession('markup', null);
    await store.appendEvents([
      { session_id: 'markup', event_type: 'user_message', content: 'Is this lighthouse safe: <img src=x onerror="window.xss=1"> </mark><b>bold</b>', metadata: {}, seq: 1 },
    ]);
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('focuses with Ctrl+K, shows highlighted hits with their HTML inert, and opens a hit at its message', async () => {
    const page = await fixture.open('/');
    await page.locator('.composer textarea, textarea').first().focus();
    await page.keyboard.press('Control+K');
    const box = page.getByRole('searchbox', { name: 'Search conversations' });
    expect(await box.and(page.locator(':focus')).count()).toBe(1);

    await page.keyboard.type('lighthous');
    const hits = page.locator('.search-hit');
    await hits.nth(1).waitFor();
    const found = await Promise.all((await hits.all()).map((hit) => hit.getAttribute('data-session-id')));
    expect(found.sort()).toStrictEqual(['long-voyage', 'markup']);
    expect(await page.locator('.search-snippet mark').allInnerTexts()).toStrictEqual(['lighthouse', 'lighthouse']);
    const markup = page.locator('.search-hit[data-session-id="markup"] .search-snippet');
    expect(await markup.innerText()).toBe('You: Is this lighthouse safe: <img src=x onerror="window.xss=1"> </mark><b>bold</b>');
    expect(await markup.locator('img, b').count()).toBe(0);
    expect(await page.evaluate('window.xss')).toBeUndefined();
    await screenshot(page, 'search-results');

    await page.locator('.search-hit[data-session-id="long-voyage"]').click();
    const target = page.locator(`article.turn[data-seq="${foundSeq}"]`);
    await target.waitFor();
    expect(sessionIdOf(page)).toBe('long-voyage');
    expect(await target.locator('.user-text').innerText()).toBe('How tall is the Fastnet lighthouse?');
    await eventually(() => inView(page, target));
    expect(await target.getAttribute('class')).toContain('search-target');
    await screenshot(page, 'search-opened-at-message');
    expect(fixture.pageErrors).toStrictEqual([]);
  });

  it('says what is wrong with a query of operators alone', async () => {
    const page = await fixture.open('/');
    await page.keyboard.press('Control+K');
    await page.keyboard.type('-');
    await page.getByRole('alert').filter({ hasText: 'no word to look for' }).waitFor();
  });
});
