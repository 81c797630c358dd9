/** Renaming and deleting a session (`PATCH` / `DELETE /api/sessions/{id}`). */
import { readProblem } from './read-problem.js';
import { authorizedFetch, type SessionSummary } from './sessions-api.js';

export async function renameSession(sessionId: string, title: string): Promise<SessionSummary> {
  const response = await authorizedFetch(sessionPath(sessionId), {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (!response.ok) throw new Error((await readProblem(response)).message);
  return (await response.json()) as SessionSummary;
}

/** Resolves once the session is gone (also when it was gone already). */
export async function deleteSession(sessionId: string): Promise<void> {
  const response = await authorizedFetch(sessionPath(sessionId), { method: 'DELETE' });
  if (!response.ok && response.status !== 404) throw new Error((await readProblem(response)).message);
}

export function sessionPath(sessionId: string): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}`;
}
