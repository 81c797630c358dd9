import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, ChatPageFixture, screenshot, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

const attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><a href="javascript:window.__pwned=3">click me</a> [link](javascript:window.__pwned=4)';

describe.runIf(hasChromium)('HTML and script in the chat stay inert', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('shows a user message with HTML as text, and an answer quoting it without running anything', async () => {
    const page = await fixture.open('/');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await sendMessage(page, attack);
    await waitForTurnEnd(page, 0);
    expect(await page.locator('.user-text').first().innerText()).toBe(attack);

    // The offline model quotes the earlier message: user-controlled HTML inside a model answer.
    await sendMessage(page, 'What did I ask before?');
    await waitForTurnEnd(page, 1);
    const answer = answerOf(page, 1).locator('.markdown');
    expect(await answer.innerText()).toContain('Your previous message was:');
    expect(await answer.innerText()).toContain('click me');
    for (const link of await page.locator('.chat-log a').all()) {
      expect(await link.getAttribute('href') ?? '').not.toMatch(/^javascript:/i);
    }
    expect(await page.locator('.chat-log script, .chat-log img, .chat-log [onerror]').count()).toBe(0);
    // Clicking what is left of the links runs nothing either.
    await answer.getByText('click me').click();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(dialogs).toStrictEqual([]);
    await screenshot(page, 'xss-inert');
  });
});
