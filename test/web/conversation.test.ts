import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, ChatPageFixture, screenshot, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

describe.runIf(hasChromium)('the chat page in a browser', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('shows a message and its answer streamed in, with the model named and no request outside the server', async () => {
    const page = await fixture.open('/');
    expect(await page.locator('.model').innerText()).toBe('offline · parley-offline');
    expect(await page.getByLabel('About the offline model').innerText()).toContain('GEMINI_API_KEY');
    await screenshot(page, 'empty-session');

    await sendMessage(page, 'Hello there');
    expect(await page.locator('.user-text').first().innerText()).toBe('Hello there');
    const turn = await waitForTurnEnd(page, 0);
    expect(await turn.getAttribute('data-status')).toBe('complete');
    const answer = await answerOf(page, 0).locator('.markdown').innerText();
    expect(answer).toContain('Hello! How can I help?');
    expect(answer).toContain("I'm Parley's offline model");
    await screenshot(page, 'message-and-answer');

    const origin = fixture.server.httpUrl;
    const outside = fixture.requests.filter((url) => !url.startsWith(origin) && !url.startsWith(fixture.server.wsUrl) && !url.startsWith('data:'));
    expect(outside).toStrictEqual([]);
    expect(fixture.pageErrors).toStrictEqual([]);
  });

  it('shows a tool card with the calculator, its input, result and time, then the answer', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, 'What is 12*(3+4)?');
    await waitForTurnEnd(page, 0);
    const card = answerOf(page, 0).locator('.tool-card');
    expect(await card.getAttribute('data-tool')).toBe('calculator');
    expect(await card.getAttribute('data-state')).toBe('done');
    expect(await card.locator('.tool-row').allInnerTexts()).toStrictEqual(['Input\n12*(3+4)', 'Result\n84']);
    expect(await card.locator('.tool-time').innerText()).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    expect(await answerOf(page, 0).locator('.markdown').first().innerText()).toContain('12*(3+4) = 84.');
    await screenshot(page, 'tool-card');
  });

  it('renders markdown in answers: a list with bold text and inline code', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, 'Remember **bold words** and `npm start`');
    await waitForTurnEnd(page, 0);
    await sendMessage(page, 'What have we talked about?');
    await waitForTurnEnd(page, 1);
    const list = answerOf(page, 1).locator('.markdown ul li');
    expect(await list.count()).toBe(1);
    expect(await list.locator('strong').innerText()).toBe('bold words');
    expect(await list.locator('code').innerText()).toBe('npm start');
    // The user's own message is shown as they typed it, not rendered.
    expect(await page.locator('.user-text').first().innerText()).toBe('Remember **bold words** and `npm start`');
    await screenshot(page, 'markdown');
  });
});
