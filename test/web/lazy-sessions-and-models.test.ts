import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiRequestBody, startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { eventually } from '../support/eventually.js';
import { answerOf, ChatPageFixture, screenshot, sendMessage, sessionIdOf, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

describe.runIf(hasChromium)('sessions made by their first message (issue 15, item 1)', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start({ FINALIZE_GRACE_MS: '50' });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('lists one session after five reloads, three New session clicks and one message', async () => {
    const page = await fixture.open('/');
    for (let reload = 0; reload < 5; reload += 1) {
      await page.reload();
      await page.locator('[data-connection="live"]').waitFor();
    }
    const ids = new Set([sessionIdOf(page)]);
    for (let click = 0; click < 3; click += 1) {
      await page.getByRole('button', { name: 'New session' }).click();
      await page.locator('.empty-state').waitFor();
      await eventually(() => !ids.has(sessionIdOf(page)));
      await page.locator('[data-connection="live"]').waitFor();
      ids.add(sessionIdOf(page));
    }
    expect(ids.size).toBe(4);
    const listed = await fixture.server.app.parley.store.listSessions({ limit: 50 });
    expect(listed.sessions).toStrictEqual([]);

    await sendMessage(page, 'What is 6*7?');
    await waitForTurnEnd(page, 0);
    const items = page.locator('.session-item');
    await eventually(async () => (await items.count()) === 1);
    expect(await items.first().getAttribute('data-session-id')).toBe(sessionIdOf(page));
    const after = await fixture.server.app.parley.store.listSessions({ limit: 50 });
    expect(after.sessions.map((session) => session.session_id)).toStrictEqual([sessionIdOf(page)]);
    expect(fixture.pageErrors).toStrictEqual([]);
    await screenshot(page, 'one-session-after-reloads');
  });
});

describe.runIf(hasChromium)('the model picker (issue 15, item 9)', () => {
  let fixture: ChatPageFixture;
  let openai: FakeOpenAiServer;
  beforeAll(async () => {
    openai = await startFakeOpenAiServer({
      replies: (request) => (openAiRequestBody(request).model === 'gpt-test' ? { kind: 'text', text: 'Answered by the picked model.' } : undefined),
    });
    fixture = await ChatPageFixture.start({
      LLM_MODELS: 'offline:parley-offline,openai:gpt-test',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_API_KEY: 'sk-test',
      SEARCH_EMBEDDINGS: 'off',
    });
  });
  afterAll(async () => {
    await fixture?.close();
    await openai?.stop();
  });

  it('picks a model in the header, and each answer says which model answered it, also after a reload', async () => {
    const page = await fixture.open('/');
    const picker = page.getByRole('combobox', { name: 'Model' });
    expect(await picker.inputValue()).toBe('offline:parley-offline');
    expect(await picker.locator('option').allInnerTexts()).toStrictEqual(['offline · parley-offline', 'openai · gpt-test']);

    await sendMessage(page, 'What is 6*7?');
    await waitForTurnEnd(page, 0);
    expect(await answerOf(page, 0).locator('.turn-model').innerText()).toBe('parley-offline');

    // With the keyboard, as a user without a mouse would.
    await picker.focus();
    await picker.selectOption('openai:gpt-test');
    expect(await picker.inputValue()).toBe('openai:gpt-test');
    await sendMessage(page, 'Who answers now?');
    await waitForTurnEnd(page, 1);
    expect(await answerOf(page, 1).innerText()).toContain('Answered by the picked model.');
    expect(await answerOf(page, 1).locator('.turn-model').innerText()).toBe('gpt-test');
    await screenshot(page, 'model-picker');

    await page.reload();
    await page.locator('.turn').nth(1).waitFor();
    expect(await page.getByRole('combobox', { name: 'Model' }).inputValue()).toBe('openai:gpt-test');
    expect(await page.locator('.turn-model').allInnerTexts()).toStrictEqual(['parley-offline', 'gpt-test']);
    expect(fixture.pageErrors).toStrictEqual([]);
  });
});
