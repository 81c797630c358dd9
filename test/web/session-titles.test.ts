import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { ChatPageFixture, screenshot, sendMessage, sessionIdOf, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

describe.runIf(hasChromium)('titles, rename, export and delete on the page', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  const statusOf = async (sessionId: string) => (await fetch(`${fixture.server.httpUrl}/api/sessions/${sessionId}`)).status;

  it('shows the title in the list, the header and the tab, renames in place, and exports Markdown and JSON', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, 'What is 12*7? I need it for a recipe.');
    await waitForTurnEnd(page, 0);
    const sessionId = sessionIdOf(page);
    const item = page.locator(`.session-entry[data-session-id="${sessionId}"]`);
    await eventually(async () => (await page.locator('.topbar .title').innerText()) === 'What is 12*7?');
    await eventually(async () => (await item.locator('.session-summary').innerText()) === 'What is 12*7?');
    expect(await page.title()).toBe('What is 12*7? · Parley');

    await item.hover();
    await item.getByRole('button', { name: 'Rename What is 12*7?' }).click();
    const input = page.getByRole('textbox', { name: 'Session title' });
    expect(await input.inputValue()).toBe('What is 12*7?');
    await input.fill('Recipe maths');
    await screenshot(page, 'session-rename');
    await input.press('Enter');
    await eventually(async () => (await item.locator('.session-summary').innerText()) === 'Recipe maths');
    await eventually(async () => (await page.locator('.topbar .title').innerText()) === 'Recipe maths');
    expect(await page.title()).toBe('Recipe maths · Parley');

    await page.getByText('Export', { exact: true }).click();
    await screenshot(page, 'session-export-menu');
    const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Markdown (.md)' }).click()]);
    expect(markdown.suggestedFilename()).toBe('parley-Recipe-maths.md');
    const markdownText = await readFile((await markdown.path()), 'utf8');
    expect(markdownText).toContain('# Recipe maths\n');
    expect(markdownText).toContain('```text\nWhat is 12*7? I need it for a recipe.\n```');

    await page.getByText('Export', { exact: true }).click();
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'JSON (.json)' }).click()]);
    expect(json.suggestedFilename()).toBe('parley-Recipe-maths.json');
    const file = JSON.parse(await readFile((await json.path()), 'utf8')) as { session: { title: string }; conversation: Array<{ type: string }> };
    expect(file.session.title).toBe('Recipe maths');
    expect(file.conversation.map((entry) => entry.type)).toStrictEqual(['user_message', 'tool_call', 'tool_result', 'assistant_message']);
    expect(fixture.pageErrors).toStrictEqual([]);
  });

  it('deletes a session from the list after a confirm; another tab showing it is told; deleting the open one starts a new one', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, 'Tell me about Oslo');
    await waitForTurnEnd(page, 0);
    const doomed = sessionIdOf(page);
    const watcher = await fixture.open(`/?session=${doomed}`);

    await page.getByRole('button', { name: 'New session' }).click();
    await page.locator('.empty-state').waitFor();
    const item = page.locator(`.session-entry[data-session-id="${doomed}"]`);
    await item.waitFor();
    await item.hover();
    await item.getByRole('button', { name: /^Delete / }).click();
    const confirm = item.getByRole('group', { name: 'Delete this session?' });
    expect(await confirm.innerText()).toContain('This cannot be undone.');
    await screenshot(page, 'session-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await item.waitFor({ state: 'detached' });
    expect(await statusOf(doomed)).toBe(404);

    const banner = watcher.locator('.banner[data-code="session_deleted"]');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('This conversation was deleted.');
    await watcher.locator('.composer textarea').fill('still there?');
    expect(await watcher.getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);
    await screenshot(watcher, 'session-deleted-elsewhere');

    await sendMessage(page, 'What is 2+2?');
    await waitForTurnEnd(page, 0);
    const open = sessionIdOf(page);
    const current = page.locator(`.session-entry[data-session-id="${open}"]`);
    await current.waitFor();
    await current.hover();
    await current.getByRole('button', { name: /^Delete / }).click();
    await current.getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(() => sessionIdOf(page) !== open);
    await page.locator('.empty-state').waitFor();
    expect(await statusOf(open)).toBe(404);
    expect(fixture.pageErrors).toStrictEqual([]);
  });
});
