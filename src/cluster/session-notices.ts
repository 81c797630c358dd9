/**
 * What every instance hears about a session, to tell its own sockets of it: a new title, or
 * that the session was deleted. One channel for the whole deployment (ClusterKeys.notices):
 * renames and deletions are rare, and the sockets of a session may be on any instance.
 */
export type SessionNotice = { t: 'title'; session: string; title: string } | { t: 'deleted'; session: string };

export function encodeSessionNotice(notice: SessionNotice, from: string): string {
  return JSON.stringify({ ...notice, from });
}

/** The notice and the instance that sent it; null for anything else. */
export function decodeSessionNotice(text: string): { notice: SessionNotice; from: string } | null {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const { t, session, title, from } = parsed;
    if (typeof session !== 'string' || typeof from !== 'string') return null;
    if (t === 'deleted') return { notice: { t, session }, from };
    if (t === 'title' && typeof title === 'string') return { notice: { t, session, title }, from };
    return null;
  } catch {
    return null;
  }
}
