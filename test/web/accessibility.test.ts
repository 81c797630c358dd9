import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatPageFixture, desktop, phone, screenshot, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core run in the page: the serious and critical findings, each with the elements it names. */
async function seriousFindings(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(await axeSource);
  const findings = await page.evaluate<Finding[]>(`axe.run(document, { resultTypes: ['violations'] }).then((results) => results.violations.map((violation) => ({
    id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5),
  })))`);
  return findings.filter((finding) => finding.impact === 'serious' || finding.impact === 'critical');
}

describe.runIf(hasChromium)('the page for keyboard and screen-reader users', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [width, viewport] of [['desktop', desktop], ['phone', phone]] as const) {
      it(`has no serious or critical axe-core findings, empty and with a conversation (${colorScheme}, ${width})`, async () => {
        const page = await fixture.open('/', { viewport, colorScheme, reducedMotion: 'reduce' });
        await page.locator('.empty-state').waitFor();
        expect(await seriousFindings(page)).toStrictEqual([]);
        await sendMessage(page, 'What is 12*(3+4)?');
        await waitForTurnEnd(page, 0);
        await sendMessage(page, 'Fetch data about Tokyo');
        await waitForTurnEnd(page, 1);
        expect(await seriousFindings(page)).toStrictEqual([]);
        await screenshot(page, `accessibility-${width}-${colorScheme}`);
      });
    }
  }
});

describe.runIf(hasChromium)('the page by keyboard', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start({ OFFLINE_TOKEN_DELAY_MS: '15' });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  const focusedId = (page: Page) => page.evaluate<string>('document.activeElement?.id ?? ""');
  /** The focused element's accessible text (its label or words). */
  const focusedName = (page: Page) => page.evaluate<string>('(document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent ?? "").trim()');
  const distanceFromBottom = (page: Page) => page.evaluate<number>('(() => { const log = document.querySelector(".chat-log"); return log.scrollHeight - log.scrollTop - log.clientHeight; })()');

  it('is ready to type on load, and offers a skip link to the message box first in the page', async () => {
    const page = await fixture.open('/');
    expect(await focusedId(page)).toBe('message-box');
    expect(await page.evaluate<string>('document.querySelector("a[href], button, input, textarea").textContent.trim()')).toBe('Skip to the message box');
    const skip = page.getByRole('link', { name: 'Skip to the message box' });
    expect(await skip.boundingBox().then((box) => box!.y + box!.height)).toBeLessThanOrEqual(0);
    await skip.focus();
    expect(await focusedName(page)).toBe('Skip to the message box');
    expect(await skip.boundingBox().then((box) => box!.y)).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(await focusedId(page)).toBe('message-box');
  });

  it('moves focus into the phone drawer, keeps it there, and gives it back to the menu on Esc', async () => {
    const page = await fixture.open('/', { viewport: phone });
    const menu = page.getByRole('button', { name: 'Sessions', exact: true });
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate<boolean>('document.querySelector(".sidebar").contains(document.activeElement)')).toBe(true);
    for (let press = 0; press < 12; press += 1) {
      await page.keyboard.press(press % 3 === 0 ? 'Shift+Tab' : 'Tab');
      expect(await page.evaluate<boolean>('document.querySelector(".sidebar").contains(document.activeElement)')).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.locator('.sidebar').waitFor({ state: 'hidden' });
    expect(await focusedName(page)).toBe('Sessions');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
  });

  it('focuses the interrupt offer, and announces the answer as plain text, not markdown', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, 'What can you do?');
    await page.locator('.streaming-text').waitFor();
    await sendMessage(page, 'What is 6*7?');
    const offer = page.getByRole('button', { name: 'Stop and send' });
    await offer.waitFor();
    expect(await focusedName(page)).toBe('Stop and send');
    await page.keyboard.press('Enter');
    await waitForTurnEnd(page, 1);
    const announced = page.locator('[aria-live="polite"][aria-atomic="true"]');
    await expect.poll(() => announced.textContent()).toContain('Parley answered:');
    const spoken = (await announced.textContent()) ?? '';
    expect(spoken).toContain('42');
    expect(spoken).not.toMatch(/[*`#]|\]\(/);
  });

  it('offers Jump to latest when the reader scrolls up a long conversation, and takes them back down', async () => {
    const page = await fixture.open('/', { viewport: { width: 900, height: 500 } });
    for (let index = 0; index < 3; index += 1) {
      await sendMessage(page, 'What can you do?');
      await waitForTurnEnd(page, index);
    }
    const jump = page.getByRole('button', { name: 'Jump to latest' });
    expect(await jump.count()).toBe(0);
    await page.evaluate('document.querySelector(".chat-log").scrollTo({ top: 0 })');
    await jump.waitFor();
    await jump.click();
    await expect.poll(() => distanceFromBottom(page)).toBeLessThan(48);
    await jump.waitFor({ state: 'detached' });
  });
});
