/** The REST side of the server (CONTRACT.md): the sessions list, one session, health. */

// The shapes come from the server's own zod schemas (types only: nothing of zod is bundled).
import type { SessionPageResource, SessionResource } from '../../../src/http/session-schemas.js';
import { accessToken } from '../session-address.js';

export type SessionSummary = SessionResource;
export type SessionPage = SessionPageResource;

export async function listSessions(cursor?: string, limit = 30): Promise<SessionPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  return getJson<SessionPage>(`/api/sessions?${query}`);
}

export async function getSession(sessionId: string): Promise<SessionSummary | null> {
  const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}`, { headers: requestHeaders() });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
  return (await response.json()) as SessionSummary;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: requestHeaders() });
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
  return (await response.json()) as T;
}

function requestHeaders(): Record<string, string> {
  const token = accessToken();
  return token ? { accept: 'application/json', authorization: `Bearer ${token}` } : { accept: 'application/json' };
}
