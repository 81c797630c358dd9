/** The REST side of the server (CONTRACT.md): the sessions list, one session, health. */

// The shapes come from the server's own zod schemas (types only: nothing of zod is bundled).
import type { EventPageResource, SessionPageResource, SessionResource } from '../../../src/http/session-schemas.js';
import type { HistoryItem } from '../../../src/protocol/history.js';
// The server's own conversion from events to history items (plain code, no zod).
import { historyFromEvents } from '../../../src/protocol/history-from-events.js';
import { pageAuth } from '../auth/page-auth-instance.js';
import { readProblem } from './read-problem.js';

export type SessionSummary = SessionResource;
export type SessionPage = SessionPageResource;

/** The server lists only the caller's own sessions (an operator's token sees all). */
export async function listSessions(cursor?: string, limit = 30): Promise<SessionPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  return getJson<SessionPage>(`/api/sessions?${query}`);
}

export async function getSession(sessionId: string): Promise<SessionSummary | null> {
  const response = await authorizedFetch(`/api/sessions/${encodeURIComponent(sessionId)}`);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
  return (await response.json()) as SessionSummary;
}

/** Events per request going back: the most the server gives. */
const olderPageEvents = 200;

/**
 * The whole turns before `beforeSeq` (a `session` frame's `more_history`), as history items;
 * `more`: older ones exist. Goes back page by page until one holds the start of a turn.
 */
export async function loadOlderHistory(sessionId: string, beforeSeq: number): Promise<{ history: HistoryItem[]; more: boolean }> {
  const path = `/api/sessions/${encodeURIComponent(sessionId)}/events`;
  let query = new URLSearchParams({ limit: String(olderPageEvents), before: String(beforeSeq) });
  let events: EventPageResource['events'] = [];
  for (;;) {
    const page = await getJson<EventPageResource>(`${path}?${query}`);
    events = [...page.events, ...events];
    // A turn's first events may be on the next page back: they come with it, next time.
    const start = page.next_cursor === null ? 0 : events.findIndex((event) => event.event_type === 'user_message');
    if (start >= 0) return { history: historyFromEvents(events.slice(start)), more: page.next_cursor !== null };
    query = new URLSearchParams({ limit: String(olderPageEvents), cursor: page.next_cursor! });
  }
}

async function getJson<T>(path: string): Promise<T> {
  const response = await authorizedFetch(path);
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
  return (await response.json()) as T;
}

/**
 * A request (a GET unless `init` says otherwise) with the page's token as a Bearer header. A
 * 401 is tried once more with a renewed token (a refreshed Supabase session); failing that,
 * the page asks for a sign-in.
 */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const used = pageAuth.token();
  const response = await fetch(path, { ...init, headers: { ...requestHeaders(used), ...(init.headers as Record<string, string> | undefined) } });
  if (response.status !== 401) return response;
  const fresh = await pageAuth.renew(used);
  if (fresh !== null) {
    const again = await fetch(path, { ...init, headers: { ...requestHeaders(fresh), ...(init.headers as Record<string, string> | undefined) } });
    if (again.status !== 401) return again;
    pageAuth.refused(fresh, await readProblem(again));
    return again;
  }
  pageAuth.refused(used, await readProblem(response));
  return response;
}

function requestHeaders(token: string | null): Record<string, string> {
  return token === null ? { accept: 'application/json' } : { accept: 'application/json', authorization: `Bearer ${token}` };
}
