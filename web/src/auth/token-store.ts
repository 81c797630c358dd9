/** Where the page's token came from: decides how it is kept and how it is renewed. */
export type CredentialSource = 'address' | 'pasted' | 'supabase';

export interface Credential {
  token: string;
  source: CredentialSource;
}

/** The part of the Web Storage API the store uses: sessionStorage in the page, a Map in tests. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const storageKey = 'parley.credential';

/**
 * The token the page sends, in memory and in the tab's sessionStorage: it survives a reload
 * but not the tab, and is never written to localStorage or the address. A Supabase session
 * is kept by the Supabase client itself (also in sessionStorage), so it stays in memory here.
 */
export class TokenStore {
  #current: Credential | null;
  readonly #listeners = new Set<(credential: Credential | null) => void>();

  constructor(private readonly storage: KeyValueStorage | null) {
    this.#current = this.#read();
  }

  get current(): Credential | null {
    return this.#current;
  }

  set(credential: Credential): void {
    if (this.#current?.token === credential.token && this.#current.source === credential.source) return;
    this.#current = credential;
    if (credential.source === 'supabase') this.#write(null);
    else this.#write(JSON.stringify(credential));
    this.#tell();
  }

  clear(): void {
    if (this.#current === null) return;
    this.#current = null;
    this.#write(null);
    this.#tell();
  }

  subscribe(listener: (credential: Credential | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #tell(): void {
    for (const listener of this.#listeners) listener(this.#current);
  }

  #read(): Credential | null {
    let raw: string | null;
    try {
      raw = this.storage?.getItem(storageKey) ?? null;
    } catch {
      return null;
    }
    if (raw === null) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<Credential>;
      if (typeof parsed.token === 'string' && parsed.token !== '' && (parsed.source === 'address' || parsed.source === 'pasted')) {
        return { token: parsed.token, source: parsed.source };
      }
    } catch {
      // Written by something else: not ours to trust.
    }
    return null;
  }

  /** Storage may refuse (a private window, a full quota): the token then lives in memory only. */
  #write(value: string | null): void {
    try {
      if (value === null) this.storage?.removeItem(storageKey);
      else this.storage?.setItem(storageKey, value);
    } catch {
      // Memory still holds it for this page.
    }
  }
}
