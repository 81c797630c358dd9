import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatPageFixture, phone, screenshot, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

describe.runIf(hasChromium)('the page at phone width', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`fits the screen, keeps the sessions in a drawer and the message box in reach (${colorScheme})`, async () => {
      const page = await fixture.open('/', { viewport: phone, colorScheme, reducedMotion: 'reduce' });
      expect(await page.locator('.sidebar').isVisible()).toBe(false);
      await sendMessage(page, 'What is 12*(3+4)?');
      await waitForTurnEnd(page, 0);
      await sendMessage(page, 'Fetch data about Tokyo');
      await waitForTurnEnd(page, 1);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(phone.width);
      const box = await page.getByRole('textbox', { name: 'Message' }).boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(phone.height);
      expect(box!.width).toBeGreaterThan(200);
      await screenshot(page, `phone-conversation-${colorScheme}`);

      const menu = page.getByRole('button', { name: 'Sessions', exact: true });
      await menu.click();
      await page.locator('.sidebar').waitFor({ state: 'visible' });
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await screenshot(page, `phone-sessions-${colorScheme}`);
    });
  }
});
