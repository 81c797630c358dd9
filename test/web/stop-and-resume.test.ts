import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, ChatPageFixture, screenshot, sendMessage, sessionIdOf, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

/** A long offline answer: at this pace it streams for a few seconds. */
const longQuestion = 'What can you do?';

async function answerText(page: Page, index: number): Promise<string> {
  return answerOf(page, index).locator('.markdown').allInnerTexts().then((texts) => texts.join('\n'));
}

/** Waits until the n-th answer has streamed some text, and returns it. */
async function waitForPartialAnswer(page: Page, index: number): Promise<string> {
  await answerOf(page, index).locator('.markdown').first().waitFor();
  return answerText(page, index);
}

describe.runIf(hasChromium)('stopping, interrupting and resuming an answer', () => {
  let fixture: ChatPageFixture;
  let fullAnswer: string;

  beforeAll(async () => {
    fixture = await ChatPageFixture.start({ OFFLINE_TOKEN_DELAY_MS: '40' });
    const page = await fixture.open('/');
    await sendMessage(page, longQuestion);
    await waitForTurnEnd(page, 0);
    fullAnswer = await answerText(page, 0);
    await page.context().close();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('stops with the Stop button and keeps the partial answer, marked as stopped, also after a reload', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, longQuestion);
    await waitForPartialAnswer(page, 0);
    await screenshot(page, 'streaming');
    await page.getByRole('button', { name: 'Stop the answer (Esc)' }).click();
    const turn = await waitForTurnEnd(page, 0);
    expect(await turn.getAttribute('data-status')).toBe('cancelled');
    expect(await turn.locator('.turn-badge').innerText()).toBe('Stopped');
    const partial = await answerText(page, 0);
    expect(partial.length).toBeGreaterThan(0);
    expect(fullAnswer.startsWith(partial.replace(/\s+$/, ''))).toBe(true);
    expect(partial.length).toBeLessThan(fullAnswer.length);
    await screenshot(page, 'stopped');

    await page.reload();
    const reloaded = await waitForTurnEnd(page, 0);
    expect(await reloaded.getAttribute('data-status')).toBe('cancelled');
    expect(await answerText(page, 0)).toBe(partial);
  });

  it('stops with Esc', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, longQuestion);
    await waitForPartialAnswer(page, 0);
    await page.keyboard.press('Escape');
    expect(await (await waitForTurnEnd(page, 0)).getAttribute('data-status')).toBe('cancelled');
  });

  it('offers to interrupt when sending while an answer streams, then answers the new message', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, longQuestion);
    await waitForPartialAnswer(page, 0);
    await sendMessage(page, 'What is 2+2?');
    const offer = page.getByRole('alertdialog', { name: 'Interrupt the answer?' });
    await offer.waitFor();
    await screenshot(page, 'interrupt-offer');
    await offer.getByRole('button', { name: 'Stop and send' }).click();
    expect(await (await waitForTurnEnd(page, 0)).getAttribute('data-status')).toBe('interrupted');
    expect(await (await waitForTurnEnd(page, 1)).getAttribute('data-status')).toBe('complete');
    expect(await answerText(page, 1)).toContain('2+2 = 4.');
    expect(await page.locator('.user-text').allInnerTexts()).toStrictEqual([longQuestion, 'What is 2+2?']);
  });

  it('resumes after a reload mid-answer with nothing lost and nothing repeated', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, longQuestion);
    const partial = await waitForPartialAnswer(page, 0);
    expect(partial.length).toBeLessThan(fullAnswer.length);
    const sessionId = sessionIdOf(page);
    await page.reload();
    expect(sessionIdOf(page)).toBe(sessionId);
    await waitForTurnEnd(page, 0);
    expect(await answerText(page, 0)).toBe(fullAnswer);
    expect(await page.locator('.user-text').allInnerTexts()).toStrictEqual([longQuestion]);
    await screenshot(page, 'resumed-after-reload');
  });

  it('reconnects by itself when the connection drops mid-answer, resuming after the last frame it saw', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, longQuestion);
    await waitForPartialAnswer(page, 0);
    const reconnects: string[] = [];
    page.on('websocket', (socket) => reconnects.push(new URL(socket.url()).searchParams.get('after') ?? ''));
    for (const client of fixture.server.app.websocketServer.clients) client.terminate();
    await waitForTurnEnd(page, 0);
    expect(await answerText(page, 0)).toBe(fullAnswer);
    expect(reconnects.length).toBe(1);
    expect(Number(reconnects[0])).toBeGreaterThan(0);
    expect(await page.locator('[data-connection]').getAttribute('data-connection')).toBe('live');
  });
});
