import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGoTrueServer } from '../fakes/fake-gotrue-server.js';
import { answerOf, ChatPageFixture, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

const signInStep = 'h1#sign-in-title';
const jwtSecret = 'a-secret-of-at-least-thirty-two-characters';
const expiresAt = Math.floor(Date.now() / 1000) + 3600;
const accessToken = (version: number, secret: string) =>
  new SignJWT({ sub: 'user-ada', email: 'ada@example.com', role: 'authenticated', aud: 'authenticated', v: version })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));

/**
 * Supabase's email link end to end in Chromium, with supabase-js talking to a GoTrue that
 * speaks its endpoints and the server checking its JWTs with AUTH_JWT_SECRET. The link
 * carries a token the server refuses (signed with a key it does not know, standing for an
 * expired one), so the page must refresh the session and reconnect to get in.
 */
describe.runIf(hasChromium)('the Supabase email sign-in', () => {
  let fixture: ChatPageFixture;
  let goTrue: FakeGoTrueServer;
  let stale: string;
  let fresh: string;

  beforeAll(async () => {
    [stale, fresh] = [await accessToken(0, 'a-key-the-server-does-not-know-at-all'), await accessToken(1, jwtSecret)];
    goTrue = new FakeGoTrueServer({
      id: 'user-ada',
      email: 'ada@example.com',
      issued: [stale],
      refreshes: new Map([['refresh-0', { accessToken: fresh, refreshToken: 'refresh-1' }]]),
    });
    await goTrue.start();
    fixture = await ChatPageFixture.start({
      AUTH_JWT_SECRET: jwtSecret,
      AUTH_JWT_AUDIENCE: 'authenticated',
      SUPABASE_URL: goTrue.url,
      SUPABASE_ANON_KEY: 'anon-key-for-tests',
    });
  });
  afterAll(async () => {
    await fixture?.close();
    await goTrue?.stop();
  });

  it('emails a link, signs in from it, refreshes a refused token to hold a conversation, and signs out', async () => {
    const page = await fixture.open('/', { until: signInStep });
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByRole('status').filter({ hasText: 'A sign-in link is on its way to ada@example.com' }).waitFor();
    const otp = goTrue.calls().find((call) => call.url.startsWith('/auth/v1/otp'))!;
    expect(otp.body).toMatchObject({ email: 'ada@example.com' });
    const returnTo = new URL(otp.url, goTrue.url).searchParams.get('redirect_to')!;
    expect(returnTo).toBe(page.url());

    // Following the link (from a mail client: a fresh load): GoTrue redirects to the page with the session in the fragment.
    await page.goto('about:blank');
    const link = new URLSearchParams({ access_token: stale, expires_in: '3600', expires_at: String(expiresAt), refresh_token: 'refresh-0', token_type: 'bearer', type: 'magiclink' });
    await page.goto(`${returnTo}#${link.toString()}`);
    await page.locator('[data-connection="live"]').waitFor();
    expect(await page.locator('[data-signed-in-as]').innerText()).toBe('ada@example.com');
    expect(await page.locator('.banner[data-code="unauthorized"]').count()).toBe(0);
    expect(page.url()).not.toContain('access_token');
    expect(goTrue.calls().filter((call) => call.url === '/auth/v1/token?grant_type=refresh_token').map((call) => call.body)).toStrictEqual([
      { refresh_token: 'refresh-0' },
    ]);
    const tokensSent = fixture.sockets.map((url) => new URL(url).searchParams.get('access_token'));
    expect(tokensSent[0]).toBe(stale);
    expect(tokensSent.at(-1)).toBe(fresh);

    await sendMessage(page, 'What is 6*7?');
    await waitForTurnEnd(page, 0);
    expect(await answerOf(page, 0).locator('.markdown').innerText()).toContain('42');

    // The Supabase client talks only to SUPABASE_URL: the CSP's connect-src needs that origin and no other.
    const origins = new Set(fixture.requests.map((url) => new URL(url).origin));
    expect([...origins].sort()).toStrictEqual([fixture.server.httpUrl, goTrue.url].sort());

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator(signInStep).waitFor();
    await expect.poll(() => goTrue.calls().some((call) => call.url.startsWith('/auth/v1/logout'))).toBe(true);
    await page.reload();
    await page.locator(signInStep).waitFor();
    expect(await page.getByLabel('Email').isVisible()).toBe(true);
  });
});
