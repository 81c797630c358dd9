import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../web/src/api/read-problem.js';
import type { AuthConfig } from '../../web/src/auth/auth-config.js';
import { parseAuthConfig } from '../../web/src/auth/auth-config.js';
import { PageAuth, type AuthView, type SupabaseSignIn } from '../../web/src/auth/page-auth.js';
import { TokenStore } from '../../web/src/auth/token-store.js';

const operatorToken = 'operator-token-0123456789';
const secret = new TextEncoder().encode('a-secret-of-at-least-thirty-two-characters');
const userToken = (email: string, version = 1) =>
  new SignJWT({ sub: `id-${email}`, email, v: version }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(secret);

/** A Supabase session as the page sees it through supabase-sign-in.ts: tokens come and go. */
class SupabaseSession implements SupabaseSignIn {
  onToken: (token: string | null) => void = () => undefined;
  linksSent: string[] = [];
  signedOut = 0;
  constructor(public token: string | null, public next: string | null = null) {}
  async currentToken() {
    return this.token;
  }
  async sendLink(email: string) {
    this.linksSent.push(email);
    return null;
  }
  async refresh() {
    if (this.next === null) return null;
    this.token = this.next;
    this.onToken(this.token);
    return this.token;
  }
  async signOut() {
    this.signedOut += 1;
    this.token = null;
    this.onToken(null);
  }
}

interface Setup {
  config: AuthConfig | null;
  fromAddress?: string;
  /** The tokens the server accepts. */
  accepted?: string[];
  supabase?: SupabaseSession;
}

function pageAuth({ config, fromAddress, accepted = [], supabase }: Setup) {
  const tokens = new TokenStore(null);
  const auth = new PageAuth({
    tokens,
    tokenFromAddress: () => fromAddress ?? null,
    fetchConfig: async () => config,
    checkToken: async (token): Promise<Problem | null> =>
      accepted.includes(token) ? null : { code: 'unauthorized', message: "The token's signature does not verify." },
    loadSupabase: async (_config, onToken) => {
      if (!supabase) throw new Error('no Supabase here');
      supabase.onToken = onToken;
      return supabase;
    },
    returnAddress: () => 'http://127.0.0.1:8000/?session=s1',
  });
  const views: AuthView[] = [];
  auth.subscribe((view) => views.push(view));
  return { auth, tokens, views };
}

const unauthorized = (message: string): Problem => ({ code: 'unauthorized', message });

describe('signing in on the page', () => {
  it('asks for nothing when the server runs in open mode, and sends no token there', async () => {
    const { auth } = pageAuth({ config: { mode: 'open' }, fromAddress: operatorToken });
    await auth.start();
    expect(auth.view).toStrictEqual({ kind: 'open', confirmed: true });
    expect(auth.token()).toBeNull();
  });

  it('shows the sign-in step when the server needs a token and the page has none', async () => {
    const { auth } = pageAuth({ config: { mode: 'token' } });
    await auth.start();
    expect(auth.view).toStrictEqual({ kind: 'signed-out', reason: null, emailSignIn: false });
    expect(auth.token()).toBeNull();
  });

  it('signs in as the operator with a token opened once as /?token=', async () => {
    const { auth } = pageAuth({ config: { mode: 'token' }, fromAddress: operatorToken });
    await auth.start();
    expect(auth.view).toStrictEqual({ kind: 'signed-in', who: 'operator', source: 'address' });
    expect(auth.token()).toBe(operatorToken);
  });

  it('keeps a refused pasted token out and says why; takes one the server accepts', async () => {
    const ada = await userToken('ada@example.com');
    const { auth } = pageAuth({ config: { mode: 'token' }, accepted: [ada] });
    await auth.start();
    expect(await auth.usePastedToken('wrong-token-0123456789')).toBe("The server refused the token: The token's signature does not verify.");
    expect(auth.view.kind).toBe('signed-out');
    expect(await auth.usePastedToken(`  Bearer ${ada}\n`)).toBeNull();
    expect(auth.view).toStrictEqual({ kind: 'signed-in', who: 'ada@example.com', source: 'pasted' });
    expect(auth.token()).toBe(ada);
  });

  it('asks again, with the reason, when the server refuses the token in use', async () => {
    const { auth, views } = pageAuth({ config: { mode: 'token' }, fromAddress: operatorToken });
    await auth.start();
    auth.refused(operatorToken, unauthorized('The token has expired; sign in again for a new one.'));
    expect(auth.view).toStrictEqual({
      kind: 'signed-out',
      reason: 'The server refused the token: The token has expired; sign in again for a new one.',
      emailSignIn: false,
    });
    expect(views.map((view) => view.kind)).toStrictEqual(['signed-in', 'signed-out']);
  });

  it('ignores a refusal of a token that a newer one already replaced', async () => {
    const [first, second] = [await userToken('ada@example.com', 1), await userToken('ada@example.com', 2)];
    const { auth } = pageAuth({ config: { mode: 'token' }, accepted: [first, second] });
    await auth.start();
    await auth.usePastedToken(first);
    await auth.usePastedToken(second);
    auth.refused(first, unauthorized('expired'));
    expect(auth.view.kind).toBe('signed-in');
    expect(auth.token()).toBe(second);
    expect(await auth.renew(first)).toBe(second);
    expect(await auth.renew(second)).toBeNull();
  });

  it('learns from a refusal that the server needs a token when it did not say so', async () => {
    const { auth } = pageAuth({ config: null });
    await auth.start();
    expect(auth.view).toStrictEqual({ kind: 'open', confirmed: false });
    auth.refused(null, unauthorized('This server needs a token.'));
    expect(auth.view).toStrictEqual({ kind: 'signed-out', reason: null, emailSignIn: false });
  });

  it('asks for a sign-in when a server that said it was open refuses the page after all', async () => {
    const { auth } = pageAuth({ config: { mode: 'open' }, fromAddress: operatorToken });
    await auth.start();
    auth.refused(null, unauthorized('This server needs a token.'));
    expect(auth.view).toStrictEqual({ kind: 'signed-out', reason: null, emailSignIn: false });
  });

  it('signs out: the token is gone and the sign-in step is back', async () => {
    const { auth } = pageAuth({ config: { mode: 'token' }, fromAddress: operatorToken });
    await auth.start();
    auth.signOut();
    expect(auth.token()).toBeNull();
    expect(auth.view).toStrictEqual({ kind: 'signed-out', reason: null, emailSignIn: false });
  });
});

describe('signing in with Supabase on the page', () => {
  const withSupabase: AuthConfig = { mode: 'token', supabase: { url: 'https://abc.supabase.co', anonKey: 'anon' } };

  it('offers the email link, and uses the session a followed link brings', async () => {
    const waiting = new SupabaseSession(null);
    const first = pageAuth({ config: withSupabase, supabase: waiting });
    await first.auth.start();
    expect(first.auth.view).toStrictEqual({ kind: 'signed-out', reason: null, emailSignIn: true });
    expect(await first.auth.sendSignInLink(' ada@example.com ')).toBeNull();
    expect(waiting.linksSent).toStrictEqual(['ada@example.com']);

    const ada = await userToken('ada@example.com');
    const followed = pageAuth({ config: withSupabase, supabase: new SupabaseSession(ada) });
    await followed.auth.start();
    expect(followed.auth.view).toStrictEqual({ kind: 'signed-in', who: 'ada@example.com', source: 'supabase' });
    expect(followed.auth.token()).toBe(ada);
  });

  it('sends the refreshed token without leaving the chat, and renews a refused one by refreshing', async () => {
    const [first, second, third] = [await userToken('ada@example.com', 1), await userToken('ada@example.com', 2), await userToken('ada@example.com', 3)];
    const session = new SupabaseSession(first, third);
    const { auth, views } = pageAuth({ config: withSupabase, supabase: session });
    await auth.start();
    session.onToken(second);
    expect(auth.token()).toBe(second);
    expect(await auth.renew(second)).toBe(third);
    expect(auth.token()).toBe(third);
    expect(views).toStrictEqual([{ kind: 'signed-in', who: 'ada@example.com', source: 'supabase' }]);
  });

  it('refreshes once when the socket and the API are refused together', async () => {
    const [first, second] = [await userToken('ada@example.com', 1), await userToken('ada@example.com', 2)];
    const session = new SupabaseSession(first, second);
    let refreshes = 0;
    const refresh = session.refresh.bind(session);
    session.refresh = () => {
      refreshes += 1;
      return refresh();
    };
    const { auth } = pageAuth({ config: withSupabase, supabase: session });
    await auth.start();
    expect(await Promise.all([auth.renew(first), auth.renew(first)])).toStrictEqual([second, second]);
    expect(refreshes).toBe(1);
  });

  it('ends the Supabase session when the server refuses it and it cannot be refreshed', async () => {
    const ada = await userToken('ada@example.com');
    const session = new SupabaseSession(ada, null);
    const { auth } = pageAuth({ config: withSupabase, supabase: session });
    await auth.start();
    expect(await auth.renew(ada)).toBeNull();
    auth.refused(ada, unauthorized("The token's signature does not verify."));
    expect(session.signedOut).toBe(1);
    expect(auth.view).toMatchObject({ kind: 'signed-out', emailSignIn: true });
  });

  it('still takes a pasted token when the Supabase client cannot start', async () => {
    const { auth } = pageAuth({ config: withSupabase, accepted: [operatorToken] });
    await auth.start();
    expect(auth.view).toStrictEqual({ kind: 'signed-out', reason: null, emailSignIn: false });
    expect(await auth.usePastedToken(operatorToken)).toBeNull();
    expect(auth.view).toMatchObject({ kind: 'signed-in', who: 'operator' });
  });
});

describe('what GET / says about signing in', () => {
  it('is read into the page\'s terms, with Supabase only when it is complete and a token is needed', () => {
    expect(parseAuthConfig({ auth: { mode: 'open' } })).toStrictEqual({ mode: 'open' });
    expect(parseAuthConfig({ auth: { mode: 'token', supabase: { url: 'https://abc.supabase.co', anon_key: 'anon' } } })).toStrictEqual({
      mode: 'token',
      supabase: { url: 'https://abc.supabase.co', anonKey: 'anon' },
    });
    expect(parseAuthConfig({ auth: { mode: 'token', supabase: { url: 'https://abc.supabase.co' } } })).toStrictEqual({ mode: 'token' });
    expect(parseAuthConfig({ auth: { mode: 'open', supabase: { url: 'https://abc.supabase.co', anon_key: 'anon' } } })).toStrictEqual({ mode: 'open' });
    expect(parseAuthConfig({ name: 'Parley' })).toBeNull();
    expect(parseAuthConfig(null)).toBeNull();
  });
});
