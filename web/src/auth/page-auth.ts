import type { Problem } from '../api/read-problem.js';
import { signInRefusalWords } from '../text/error-words.js';
import type { AuthConfig } from './auth-config.js';
import { signedInName } from './token-claims.js';
import type { Credential, CredentialSource, TokenStore } from './token-store.js';

/** What the page shows about signing in. */
export type AuthView =
  | { kind: 'loading' }
  /** No token needed. `confirmed`: the server said it runs in open mode (not merely silent about it). */
  | { kind: 'open'; confirmed: boolean }
  | { kind: 'signed-out'; reason: string | null; emailSignIn: boolean }
  | { kind: 'signed-in'; who: string; source: CredentialSource };

/** Supabase's email sign-in as the page uses it (supabase-sign-in.ts, loaded only when offered). */
export interface SupabaseSignIn {
  /** The session's access token once the client has started (and read a link's session from the address). */
  currentToken(): Promise<string | null>;
  /** Emails a sign-in link that leads back to `returnTo`; resolves to the refusal in words, or null once sent. */
  sendLink(email: string, returnTo: string): Promise<string | null>;
  /** A fresh access token from the refresh token, or null when the session cannot be renewed. */
  refresh(): Promise<string | null>;
  signOut(): Promise<void>;
}

/** The edges PageAuth talks to, given so its decisions are tested without a browser. */
export interface PageAuthParts {
  tokens: TokenStore;
  tokenFromAddress(): string | null;
  fetchConfig(): Promise<AuthConfig | null>;
  checkToken(token: string): Promise<Problem | null>;
  loadSupabase(config: NonNullable<AuthConfig['supabase']>, onToken: (token: string | null) => void): Promise<SupabaseSignIn>;
  /** Where a Supabase sign-in link leads back to. */
  returnAddress(): string;
}

/**
 * Who the page is signed in as, and the one place that decides when to ask for a sign-in:
 * at start when the server needs a token and there is none, and whenever the server
 * refuses the token in use (not one already replaced by a newer one).
 */
export class PageAuth {
  #view: AuthView = { kind: 'loading' };
  #mode: 'open' | 'token' | 'unknown' = 'unknown';
  #loaded = false;
  #reason: string | null = null;
  #supabase: SupabaseSignIn | null = null;
  #starting: Promise<void> | null = null;
  #renewing: Promise<string | null> | null = null;
  readonly #listeners = new Set<(view: AuthView) => void>();

  constructor(private readonly parts: PageAuthParts) {
    parts.tokens.subscribe(() => this.#settle());
  }

  get view(): AuthView {
    return this.#view;
  }

  get credential(): Credential | null {
    return this.#mode === 'open' ? null : this.parts.tokens.current;
  }

  /** The token to send now; null in open mode. Read at each request and each (re)connect. */
  token(): string | null {
    return this.credential?.token ?? null;
  }

  subscribe(listener: (view: AuthView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /**
   * A token to use instead of `stale`, which the server refused: one that already replaced
   * it, or a refreshed Supabase session. Null when there is none: the caller reports the
   * refusal.
   */
  async renew(stale: string | null): Promise<string | null> {
    const current = this.token();
    if (current !== null && current !== stale) return current;
    const supabase = this.#supabase;
    if (this.parts.tokens.current?.source !== 'supabase' || supabase === null) return null;
    // The socket and an API call are often refused together: one refresh serves both, since
    // a second would spend the refresh token the first just replaced.
    this.#renewing ??= supabase
      .refresh()
      .catch(() => null)
      .finally(() => {
        this.#renewing = null;
      });
    const fresh = await this.#renewing;
    if (fresh === null || fresh === stale) return null;
    this.parts.tokens.set({ token: fresh, source: 'supabase' });
    return fresh;
  }

  /** The server refused `stale` (or asked for a token while none was sent): sign in again, saying why. */
  refused(stale: string | null, problem: Problem): void {
    const current = this.credential;
    if (current !== null && current.token !== stale) return;
    this.#mode = 'token';
    // Refused with no token at all: the sign-in step's own words say a sign-in is needed.
    this.#reason = stale === null ? null : signInRefusalWords(problem);
    if (current?.source === 'supabase') void this.#supabase?.signOut().catch(() => undefined);
    this.parts.tokens.clear();
    this.#settle();
  }

  /** Checks a pasted token with the server before using it; resolves to the refusal in words, or null when signed in. */
  async usePastedToken(pasted: string): Promise<string | null> {
    const token = pasted.trim().replace(/^Bearer\s+/i, '');
    if (token === '') return 'Paste a token first.';
    if (/\s/.test(token)) return 'A token has no spaces or line breaks: paste it again exactly as it was given.';
    const problem = await this.parts.checkToken(token);
    if (problem !== null) return signInRefusalWords(problem);
    if (this.#mode === 'unknown') this.#mode = 'token';
    this.#reason = null;
    this.parts.tokens.set({ token, source: 'pasted' });
    this.#settle();
    return null;
  }

  /** Emails a Supabase sign-in link; resolves to the refusal in words, or null once sent. */
  async sendSignInLink(email: string): Promise<string | null> {
    if (this.#supabase === null) return 'This server does not offer email sign-in.';
    try {
      return await this.#supabase.sendLink(email.trim(), this.parts.returnAddress());
    } catch {
      return 'The sign-in service could not be reached. Check the connection and try again.';
    }
  }

  signOut(): void {
    this.#reason = null;
    void this.#supabase?.signOut().catch(() => undefined);
    this.parts.tokens.clear();
    this.#settle();
  }

  async #start(): Promise<void> {
    const fromAddress = this.parts.tokenFromAddress();
    if (fromAddress !== null) this.parts.tokens.set({ token: fromAddress, source: 'address' });
    const config = await this.parts.fetchConfig();
    this.#mode = config?.mode ?? 'unknown';
    if (config?.supabase) {
      try {
        this.#supabase = await this.parts.loadSupabase(config.supabase, (token) => this.#heardFromSupabase(token));
        this.#heardFromSupabase(await this.#supabase.currentToken());
      } catch {
        // The Supabase client did not load or start: a pasted token still signs in.
        this.#supabase = null;
      }
    }
    this.#loaded = true;
    this.#settle();
  }

  /** A Supabase session is used unless a token was given by hand (an operator's), which stays until sign-out. */
  #heardFromSupabase(token: string | null): void {
    const current = this.parts.tokens.current;
    if (token !== null) {
      if (current === null || current.source === 'supabase') this.parts.tokens.set({ token, source: 'supabase' });
    } else if (current?.source === 'supabase') {
      this.parts.tokens.clear();
    }
  }

  #settle(): void {
    if (!this.#loaded) return;
    const credential = this.parts.tokens.current;
    let next: AuthView;
    if (this.#mode === 'open') next = { kind: 'open', confirmed: true };
    else if (credential !== null) {
      this.#reason = null;
      next = { kind: 'signed-in', who: signedInName(credential.token), source: credential.source };
    } else if (this.#mode === 'token') next = { kind: 'signed-out', reason: this.#reason, emailSignIn: this.#supabase !== null };
    else next = { kind: 'open', confirmed: false };
    if (sameView(next, this.#view)) return;
    this.#view = next;
    for (const listener of this.#listeners) listener(next);
  }
}

function sameView(one: AuthView, other: AuthView): boolean {
  return JSON.stringify(one) === JSON.stringify(other);
}
