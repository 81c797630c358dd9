import { describe, expect, it } from 'vitest';
import { TokenStore, type KeyValueStorage } from '../../web/src/auth/token-store.js';

/** The Web Storage API over a Map, as sessionStorage behaves within one tab. */
class MemoryStorage implements KeyValueStorage {
  readonly entries = new Map<string, string>();
  getItem(key: string): string | null {
    return this.entries.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.entries.set(key, value);
  }
  removeItem(key: string): void {
    this.entries.delete(key);
  }
}

describe('the token store', () => {
  it('keeps a pasted token across a reload of the tab, and forgets it on sign-out', () => {
    const tab = new MemoryStorage();
    new TokenStore(tab).set({ token: 'pasted-token-0123456', source: 'pasted' });
    const reloaded = new TokenStore(tab);
    expect(reloaded.current).toStrictEqual({ token: 'pasted-token-0123456', source: 'pasted' });
    reloaded.clear();
    expect(new TokenStore(tab).current).toBeNull();
    expect([...tab.entries.values()].join()).not.toContain('pasted-token');
  });

  it('leaves a Supabase session to the Supabase client: nothing of it is written, and it replaces a stored token', () => {
    const tab = new MemoryStorage();
    const store = new TokenStore(tab);
    store.set({ token: 'pasted-token-0123456', source: 'pasted' });
    store.set({ token: 'header.payload.signature', source: 'supabase' });
    expect(store.current?.source).toBe('supabase');
    expect(tab.entries.size).toBe(0);
    expect(new TokenStore(tab).current).toBeNull();
  });

  it('tells its listeners of each change, once', () => {
    const store = new TokenStore(null);
    const heard: Array<string | null> = [];
    store.subscribe((credential) => heard.push(credential?.token ?? null));
    store.set({ token: 'first-token-01234567', source: 'pasted' });
    store.set({ token: 'first-token-01234567', source: 'pasted' });
    store.set({ token: 'second-token-0123456', source: 'pasted' });
    store.clear();
    store.clear();
    expect(heard).toStrictEqual(['first-token-01234567', 'second-token-0123456', null]);
  });

  it('still holds the token in memory when the browser refuses storage', () => {
    const refusing: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const store = new TokenStore(refusing);
    store.set({ token: 'pasted-token-0123456', source: 'pasted' });
    expect(store.current?.token).toBe('pasted-token-0123456');
  });

  it('ignores what it did not write itself', () => {
    const tab = new MemoryStorage();
    tab.setItem('parley.credential', 'not json');
    expect(new TokenStore(tab).current).toBeNull();
    tab.setItem('parley.credential', JSON.stringify({ token: 'x', source: 'supabase' }));
    expect(new TokenStore(tab).current).toBeNull();
  });
});
