import type { KeyValueStorage } from './token-store.js';

/** The tab's sessionStorage, or null where the browser forbids it. */
export function tabStorage(): KeyValueStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}
