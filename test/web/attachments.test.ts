import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../files/sample-files.js';
import { answerOf, ChatPageFixture, screenshot, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

/**
 * What a user's drop or paste hands the page: a DataTransfer holding files, built in the page
 * (the script is text: the tests' TypeScript knows no DOM).
 */
async function fireWithFiles(page: Page, selector: string, eventType: 'drop' | 'paste', files: Array<{ name: string; type: string; base64: string }>): Promise<void> {
  const eventClass = eventType === 'paste' ? 'ClipboardEvent' : 'DragEvent';
  const dataField = eventType === 'paste' ? 'clipboardData' : 'dataTransfer';
  await page.evaluate(`(() => {
    const transfer = new DataTransfer();
    for (const file of ${JSON.stringify(files)}) {
      const bytes = Uint8Array.from(atob(file.base64), (character) => character.charCodeAt(0));
      transfer.items.add(new File([bytes], file.name, { type: file.type }));
    }
    document.querySelector(${JSON.stringify(selector)}).dispatchEvent(new ${eventClass}(${JSON.stringify(eventType)}, { ${dataField}: transfer, bubbles: true, cancelable: true }));
  })()`);
}

/**
 * The natural width of the image at `selector` once it has loaded. A function evaluated on the
 * element, not a polled string: the page's CSP forbids the eval that polling a string needs.
 */
async function loadedImageWidth(page: Page, selector: string): Promise<unknown> {
  type Image = { complete: boolean; naturalWidth: number; addEventListener(type: string, listener: () => void, options: { once: boolean }): void };
  return page.locator(selector).first().evaluate((image: Image) =>
    image.complete && image.naturalWidth > 0
      ? image.naturalWidth
      : new Promise<number>((resolve) => image.addEventListener('load', () => resolve(image.naturalWidth), { once: true })),
  );
}

describe.runIf(hasChromium)('attachments in the chat page', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('attaches an image with the button, previews it, sends it, and shows it again after a reload', async () => {
    const page = await fixture.open('/');
    await page.locator('input[type="file"]').setInputFiles({ name: 'red-square.png', mimeType: 'image/png', buffer: png(64) });
    await page.locator('.attach-item .attach-size').waitFor();
    expect(await loadedImageWidth(page, '.attach-thumb')).toBe(64);
    expect(await page.locator('.attach-name').innerText()).toBe('red-square.png');
    await screenshot(page, 'attachment-ready');

    await sendMessage(page, 'What is in this picture?');
    await waitForTurnEnd(page, 0);
    expect(await loadedImageWidth(page, '.user-message .attachment-image')).toBe(64);
    expect(await page.locator('.user-message .attachment-image').getAttribute('alt')).toBe('red-square.png');
    expect(await answerOf(page, 0).innerText()).toContain('I cannot see "red-square.png" (an image)');
    expect(await page.locator('.attach-tray').count()).toBe(0);
    await screenshot(page, 'attachment-sent');

    await page.reload();
    await page.locator('[data-connection="live"]').waitFor();
    expect(await loadedImageWidth(page, '.user-message .attachment-image')).toBe(64);
    expect(await page.locator('.user-text').first().innerText()).toBe('What is in this picture?');
    await screenshot(page, 'attachment-after-reload');
    expect(fixture.pageErrors).toStrictEqual([]);
  });

  it('takes a pasted image and a dropped text file, and sends only what was not removed', async () => {
    const page = await fixture.open('/');
    await fireWithFiles(page, '#message-box', 'paste', [{ name: 'image.png', type: 'image/png', base64: png(8).toString('base64') }]);
    await fireWithFiles(page, 'form.composer', 'drop', [{ name: 'notes.txt', type: 'text/plain', base64: Buffer.from('first line\nsecond line\n').toString('base64') }]);
    await page.locator('.attach-item .attach-size').nth(1).waitFor();
    expect(await page.locator('.attach-name').allInnerTexts()).toStrictEqual(['image.png', 'notes.txt']);

    await page.getByRole('button', { name: 'Remove image.png' }).click();
    expect(await page.locator('.attach-name').allInnerTexts()).toStrictEqual(['notes.txt']);
    await sendMessage(page, 'read this');
    await waitForTurnEnd(page, 0);
    expect(await page.locator('.user-message .attachment').allInnerTexts()).toStrictEqual([expect.stringContaining('notes.txt')]);
    expect(await answerOf(page, 0).innerText()).toContain('I read "notes.txt": 2 lines, 4 words.');
  });

  it('shows the server\'s reason for a refused file, and sends without it', async () => {
    const page = await fixture.open('/');
    await page.locator('input[type="file"]').setInputFiles({ name: 'archive.png', mimeType: 'image/png', buffer: Buffer.from('PK\u0003\u0004not really an image') });
    const error = page.locator('.attach-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('allowed:');
    await sendMessage(page, 'hello');
    await waitForTurnEnd(page, 0);
    expect(await page.locator('.user-message .attachment').count()).toBe(0);
  });
});
