import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnRequest } from '../../src/llm/model-runner.js';
import type { TurnEvent } from '../../src/llm/turn-event.js';
import { endless, failAfterTokens, scriptedRunner } from '../support/scripted-runner.js';
import { answerOf, ChatPageFixture, phone, screenshot, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

let answers = 0;
/** Messages already answered without end: the next answer to them ends (a regenerate after Stop). */
const streamedOnce = new Set<string>();

/**
 * A model with a numbered answer in markdown; "fail" fails after a few words, and "keep going"
 * streams until stopped the first time it is asked.
 */
async function* script(signal: AbortSignal, request: TurnRequest): AsyncGenerator<TurnEvent> {
  const last = request.history.at(-1);
  const question = last?.type === 'user_message' ? last.content : '';
  if (question.includes('fail')) {
    yield* failAfterTokens(['Half ', 'an ', 'answer']);
    return;
  }
  if (question.includes('keep going') && !streamedOnce.has(question)) {
    streamedOnce.add(question);
    yield* endless(signal);
    return;
  }
  // The model's own view: it must never see an answer that was replaced.
  const seen = request.history.filter((item) => item.type === 'assistant_message').length;
  yield { type: 'text', text: `Answer **${++answers}** to *${question}* (${seen} earlier answers seen).` };
  yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 12, completionTokens: 7 } };
}

const turns = (page: Page) => page.locator('article.turn');
const userTexts = (page: Page) => page.locator('article.turn .user-text').allInnerTexts();
const answerTexts = (page: Page) => page.locator('article.turn .assistant-message .markdown').allInnerTexts();

interface SeenTurn {
  status: string | null;
  said: string | null;
  answer: string | null;
  badge: string | null;
  problem: string | null;
  measures: string | null;
}

/** What a reader sees of each turn: message, answer, badge, error words, measures (run in the page, which has the DOM). */
const seenTurns = `[...document.querySelectorAll('article.turn')].map((article) => {
  const text = (selector) => article.querySelector(selector)?.textContent?.trim() ?? null;
  return {
    status: article.getAttribute('data-status'),
    said: text('.user-text'),
    answer: text('.assistant-message .markdown'),
    badge: text('.turn-badge'),
    problem: text('.assistant-message .turn-problem'),
    measures: text('.turn-measures'),
  };
})`;

async function whatTheUserSees(page: Page): Promise<SeenTurn[]> {
  return page.evaluate<SeenTurn[]>(seenTurns);
}

async function clipboard(page: Page): Promise<string> {
  return page.evaluate<string>('navigator.clipboard.readText()');
}

describe.runIf(hasChromium)('message actions in the page', () => {
  let fixture: ChatPageFixture;

  beforeAll(async () => {
    fixture = await ChatPageFixture.start({}, [], { runner: scriptedRunner(script) });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  async function openPage(options: Parameters<ChatPageFixture['open']>[1] = {}): Promise<Page> {
    const page = await fixture.open('/', options);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fixture.server.httpUrl });
    return page;
  }

  it('copies an answer as markdown and as plain text', async () => {
    const page = await openPage();
    await sendMessage(page, 'hello');
    await waitForTurnEnd(page, 0);
    const answer = answerOf(page, 0);
    await answer.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => clipboard(page)).toMatch(/^Answer \*\*\d+\*\* to \*hello\*/);
    await expect.poll(() => answer.locator('[data-action="copy-markdown"]').innerText()).toBe('Copied');
    await answer.getByRole('button', { name: 'Copy text' }).click();
    await expect.poll(() => clipboard(page)).toMatch(/^Answer \d+ to hello \(0 earlier answers seen\)\.$/);
    expect(fixture.pageErrors).toStrictEqual([]);
  });

  it('regenerates a stopped answer, edits a message to replace the turns after it, and shows only the new branch after a reload', async () => {
    const page = await openPage();
    await sendMessage(page, 'first question');
    await waitForTurnEnd(page, 0);
    await sendMessage(page, 'keep going please');
    await answerOf(page, 1).locator('.markdown').first().waitFor();
    await page.getByRole('button', { name: 'Stop the answer (Esc)' }).click();
    expect(await (await waitForTurnEnd(page, 1)).getAttribute('data-status')).toBe('cancelled');
    // Only the last answer offers Regenerate; every stored message offers Edit.
    expect(await answerOf(page, 0).getByRole('button', { name: 'Regenerate' }).count()).toBe(0);
    await answerOf(page, 1).getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => page.locator('article.turn[data-status="complete"]').count()).toBe(2);
    expect(await userTexts(page)).toStrictEqual(['first question', 'keep going please']);
    expect((await answerTexts(page))[1]).toMatch(/^Answer \d+ to keep going please \(1 earlier answers seen\)\.$/);
    await screenshot(page, 'message-actions-regenerated');

    await turns(page).nth(0).getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('textbox', { name: 'Edit your message' });
    await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Edit your message');
    await editor.fill('first question, said better');
    await screenshot(page, 'message-actions-editing');
    await editor.press('Enter');
    await expect.poll(() => userTexts(page)).toStrictEqual(['first question, said better']);
    await waitForTurnEnd(page, 0);
    const [edited] = await answerTexts(page);
    expect(edited).toMatch(/^Answer \d+ to first question, said better \(0 earlier answers seen\)\.$/);
    await screenshot(page, 'message-actions-edited');

    await page.reload();
    await page.locator('[data-connection="live"]').waitFor();
    await waitForTurnEnd(page, 0);
    expect(await userTexts(page)).toStrictEqual(['first question, said better']);
    expect(await answerTexts(page)).toStrictEqual([edited]);
    expect(fixture.pageErrors).toStrictEqual([]);
  });

  it('shows the actions in dark mode and on a phone', async () => {
    for (const [name, options] of [
      ['message-actions-dark', { colorScheme: 'dark' as const }],
      ['message-actions-phone', { viewport: phone }],
    ] as const) {
      const page = await openPage(options);
      await sendMessage(page, 'show me the buttons');
      await waitForTurnEnd(page, 0);
      const buttons = answerOf(page, 0).locator('.answer-action');
      expect(await buttons.allInnerTexts()).toStrictEqual(['Copy', 'Copy text', 'Regenerate']);
      for (const button of await buttons.all()) expect(await button.isVisible()).toBe(true);
      await screenshot(page, name);
    }
  });
});

describe.runIf(hasChromium)('what the user saw, after a reload', () => {
  let fixture: ChatPageFixture;

  beforeAll(async () => {
    fixture = await ChatPageFixture.start({}, [], { runner: scriptedRunner(script) });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('keeps a whole answer, a failed one and a stopped one as they looked: text, badge, error words and measures', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, 'a normal question');
    await waitForTurnEnd(page, 0);
    await sendMessage(page, 'please fail');
    await waitForTurnEnd(page, 1);
    await sendMessage(page, 'keep going, I will stop you');
    await answerOf(page, 2).locator('.markdown').first().waitFor();
    await page.getByRole('button', { name: 'Stop the answer (Esc)' }).click();
    await waitForTurnEnd(page, 2);
    const live = await whatTheUserSees(page);
    expect(live.map((turn) => turn.status)).toStrictEqual(['complete', 'error', 'cancelled']);
    expect(live[1]).toMatchObject({ answer: 'Half an answer', badge: 'The answer failed' });
    expect(live[1]!.problem).toBeTruthy();
    expect(live[2]!.badge).toBe('Stopped');
    for (const turn of live) expect(turn.measures).toMatch(/took/);
    await screenshot(page, 'kept-before-reload');

    await page.reload();
    await page.locator('[data-connection="live"]').waitFor();
    await waitForTurnEnd(page, 2);
    expect(await whatTheUserSees(page)).toStrictEqual(live);
    await screenshot(page, 'kept-after-reload');
    expect(fixture.pageErrors).toStrictEqual([]);
  });
});
