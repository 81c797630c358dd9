import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { answerOf, ChatPageFixture, screenshot, sendMessage, sessionIdOf, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

describe.runIf(hasChromium)('the sessions list', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start({ FINALIZE_GRACE_MS: '50' });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('lists past sessions newest first with their summary and metrics, and reopens one to go on with it', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, 'What is 6*7?');
    await waitForTurnEnd(page, 0);
    const firstSession = sessionIdOf(page);

    await page.getByRole('button', { name: 'New session' }).click();
    await page.locator('.empty-state').waitFor();
    const secondSession = sessionIdOf(page);
    expect(secondSession).not.toBe(firstSession);
    await sendMessage(page, 'My name is Ada');
    await waitForTurnEnd(page, 0);

    // Leaving the first session finalizes it: summary and metrics are written.
    await eventually(async () => {
      const response = await fetch(`${fixture.server.httpUrl}/api/sessions/${firstSession}`);
      const session = (await response.json()) as { is_active: boolean; summary: string | null };
      return !session.is_active && session.summary !== null;
    });
    await page.reload();
    const items = page.locator('.session-item');
    await items.nth(1).waitFor();
    expect(await Promise.all((await items.all()).map((item) => item.getAttribute('data-session-id')))).toStrictEqual([secondSession, firstSession]);
    const older = items.nth(1);
    expect(await older.locator('.session-summary').innerText()).toContain('6*7');
    expect(await older.locator('.session-meta').innerText()).toMatch(/2 messages/);
    expect(await items.nth(0).getAttribute('aria-current')).toBe('page');
    await screenshot(page, 'sessions-list');

    await older.click();
    await page.locator('.turn').first().waitFor();
    expect(sessionIdOf(page)).toBe(firstSession);
    expect(await page.locator('.user-text').allInnerTexts()).toStrictEqual(['What is 6*7?']);
    expect(await answerOf(page, 0).locator('.tool-card').getAttribute('data-tool')).toBe('calculator');
    expect(await answerOf(page, 0).innerText()).toContain('6*7 = 42.');
    const details = page.locator('.session-details');
    expect(await details.locator('dt').allInnerTexts()).toEqual(expect.arrayContaining(['Duration', 'Messages', 'Tool calls']));
    await screenshot(page, 'session-reopened');

    await sendMessage(page, 'What did I ask before?');
    await waitForTurnEnd(page, 1);
    expect(await answerOf(page, 1).innerText()).toContain('What is 6*7?');

    // The address alone reopens it, in another browser.
    const other = await fixture.open(`/?session=${firstSession}`);
    await other.locator('.turn').nth(1).waitFor();
    expect(await other.locator('.user-text').allInnerTexts()).toStrictEqual(['What is 6*7?', 'What did I ask before?']);
  });
});
