import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, ChatPageFixture, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

describe.runIf(hasChromium)('the chat page on a server with API_TOKEN', () => {
  const token = 'browser-test-token-0123';
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start({ API_TOKEN: token });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('opened once with ?token= talks and lists sessions, and drops the token from the address', async () => {
    const page = await fixture.open(`/?token=${token}`);
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    await sendMessage(page, 'What is 6*7?');
    await waitForTurnEnd(page, 0);
    expect(await answerOf(page, 0).locator('.markdown').innerText()).toContain('42');
    await page.reload();
    await page.locator('[data-connection="live"]').waitFor();
    await page.locator('.session-list .session-item').first().waitFor();
    expect(await page.locator('.session-list').innerText()).not.toContain('could not be loaded');
    expect(fixture.pageErrors.filter((error) => /401|unauthorized/i.test(error))).toStrictEqual([]);
  });
});
