import { SignJWT } from 'jose';
import type { WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, ChatPageFixture, phone, screenshot, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

const signInStep = 'h1#sign-in-title';

describe.runIf(hasChromium)('the sign-in step on a server with API_TOKEN', () => {
  const token = 'sign-in-test-token-0123';
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start({ API_TOKEN: token });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('asks for a token, then holds a conversation as the operator until signing out asks again', async () => {
    const page = await fixture.open('/', { until: signInStep });
    expect(await page.locator('.chat').count()).toBe(0);

    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-connection="live"]').waitFor();
    await sendMessage(page, 'What is 6*7?');
    await waitForTurnEnd(page, 0);
    expect(await answerOf(page, 0).locator('.markdown').innerText()).toContain('42');
    expect(await page.locator('[data-signed-in-as]').innerText()).toBe('operator');
    await page.locator('.session-list .session-item').first().waitFor();
    await screenshot(page, 'signed-in-operator');

    // The token travels as access_token on the socket, and never in the page's address.
    const socketUrl = new URL(fixture.sockets.at(-1)!);
    expect(socketUrl.searchParams.get('access_token')).toBe(token);
    expect(socketUrl.searchParams.has('token')).toBe(false);
    expect(page.url()).not.toContain(token);
    // Without SUPABASE_URL the Supabase client is never fetched.
    expect(fixture.requests.filter((url) => url.includes('supabase'))).toStrictEqual([]);

    // A reload keeps the tab signed in.
    const sockets: WebSocket[] = [];
    page.on('websocket', (socket) => sockets.push(socket));
    await page.reload();
    await page.locator('[data-connection="live"]').waitFor();
    expect(await page.locator('[data-signed-in-as]').innerText()).toBe('operator');

    expect(sockets.at(-1)?.isClosed()).toBe(false);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator(signInStep).waitFor();
    await expect.poll(() => sockets.at(-1)?.isClosed()).toBe(true);
    expect(await page.locator('[data-sign-in-problem]').count()).toBe(0);
    expect(await page.evaluate<string>('JSON.stringify(sessionStorage)')).not.toContain(token);
    await page.reload();
    await page.locator(signInStep).waitFor();
  });

  it('says in words that a wrong pasted token was refused, and stays on the sign-in step', async () => {
    const page = await fixture.open('/', { until: signInStep });
    await page.getByLabel('Access token').fill('not-the-right-token-9876');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const problem = page.locator('[data-sign-in-problem="token"]');
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(/^The server refused the token: /);
    expect(await page.locator(signInStep).isVisible()).toBe(true);
    await screenshot(page, 'sign-in-refused');
    expect(await page.locator('.chat').count()).toBe(0);
  });

  it('asks for a sign-in, with the reason, when the server refuses the token in use, instead of reconnecting in a loop', async () => {
    const socketsBefore = fixture.sockets.length;
    const page = await fixture.open('/?token=a-token-the-server-never-issued', { until: signInStep });
    const reason = page.locator('[data-sign-in-problem="reason"]');
    await reason.waitFor();
    expect(await reason.innerText()).toMatch(/^The server refused the token: /);
    await page.waitForTimeout(1500);
    expect(fixture.sockets.length - socketsBefore).toBeLessThanOrEqual(1);
    expect(await page.locator(signInStep).isVisible()).toBe(true);
  });

  it('fits the sign-in step on a phone', async () => {
    const page = await fixture.open('/', { until: signInStep, viewport: phone });
    const fits = await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
    expect(fits).toBe(true);
    await screenshot(page, 'sign-in-phone');
  });
});

describe.runIf(hasChromium)('a pasted token near its expiry', () => {
  let fixture: ChatPageFixture;
  let token: string;
  beforeAll(async () => {
    // The server takes this JWT as its API_TOKEN: the page reads its exp and email all the same.
    token = await new SignJWT({ sub: 'user-ada', email: 'ada@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) + 4 * 60)
      .sign(new TextEncoder().encode('a-secret-of-at-least-thirty-two-characters'));
    fixture = await ChatPageFixture.start({ API_TOKEN: token });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('says when it expires, refuses a wrong replacement in words, and takes a good one in place', async () => {
    const page = await fixture.open('/', { until: signInStep });
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-connection="live"]').waitFor();
    expect(await page.locator('[data-signed-in-as]').innerText()).toBe('ada@example.com');
    const note = page.locator('[data-token-expiry]');
    expect(await note.locator('[role="status"]').innerText()).toMatch(/^Your token expires in [34] min( \d+ s)?; paste a new one\.$/);

    await note.getByLabel('New access token').fill('not-the-right-token-9876');
    await note.getByRole('button', { name: 'Use it' }).click();
    await note.getByText('The server refused the token:').waitFor();
    expect(await page.locator('[data-connection="live"]').count()).toBe(1);

    // A token the server takes replaces it without leaving the conversation.
    await sendMessage(page, 'What is 6*7?');
    await waitForTurnEnd(page, 0);
    await note.getByLabel('New access token').fill(token);
    await note.getByRole('button', { name: 'Use it' }).click();
    await note.getByText('The server refused the token:').waitFor({ state: 'detached' });
    expect(await note.getByLabel('New access token').inputValue()).toBe('');
    expect(await page.locator('article.turn').count()).toBe(1);
  });
});

describe.runIf(hasChromium)('the page on a server in open mode', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('asks for no sign-in and says that anyone on this machine can use it', async () => {
    const page = await fixture.open('/');
    expect(await page.locator('[data-auth-mode="open"]').innerText()).toBe('Local open mode: anyone on this machine can use it.');
    expect(await page.locator(signInStep).count()).toBe(0);
    expect(new URL(fixture.sockets.at(-1)!).searchParams.has('access_token')).toBe(false);
  });
});
