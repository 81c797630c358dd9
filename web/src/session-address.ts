import { randomId } from '../../client/src/index.js';

const sessionIdPattern = /^[A-Za-z0-9._-]{1,128}$/;

/** The session id lives in the address (`/?session=ID`), so a link reopens the conversation. */
export function sessionIdFromAddress(): string | null {
  const id = new URLSearchParams(location.search).get('session');
  return id !== null && sessionIdPattern.test(id) ? id : null;
}

export function showSessionInAddress(sessionId: string, mode: 'push' | 'replace'): void {
  const url = new URL(location.href);
  url.searchParams.set('session', sessionId);
  if (url.href === location.href) return;
  if (mode === 'push') history.pushState({ sessionId }, '', url);
  else history.replaceState({ sessionId }, '', url);
}

export function newSessionId(): string {
  return `web-${randomId(12)}`;
}

/** One id per browser, so the server can tell this user's sessions apart. */
export function browserUserId(): string {
  const key = 'parley.user_id';
  try {
    const known = localStorage.getItem(key);
    if (known) return known;
    const created = `user-${randomId(12)}`;
    localStorage.setItem(key, created);
    return created;
  } catch {
    return `user-${randomId(12)}`;
  }
}

/**
 * A token opened once as `/?token=...` (how an operator opens the page with API_TOKEN),
 * dropped from the address at once so it is not shared with a link or kept in history.
 */
export function takeTokenFromAddress(): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) return null;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url);
  return token.trim() === '' ? null : token.trim();
}
