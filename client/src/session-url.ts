export interface SessionUrlParts {
  /** The server: `ws://host:port`, `wss://host`, or `http(s)://` (turned into ws(s)). */
  url: string;
  sessionId: string;
  token: string | null;
  /** The last seq seen; -1: none, so no `after`. */
  after: number;
  userId?: string | undefined;
}

/**
 * The WebSocket address of a session. The token travels as `?access_token=`: a browser cannot
 * set headers on a WebSocket, and the server keeps the query out of its logs.
 */
export function sessionUrl({ url, sessionId, token, after, userId }: SessionUrlParts): string {
  const base = new URL(url);
  if (base.protocol === 'http:') base.protocol = 'ws:';
  if (base.protocol === 'https:') base.protocol = 'wss:';
  base.pathname = `${base.pathname.replace(/\/$/, '')}/ws/session/${encodeURIComponent(sessionId)}`;
  const query = new URLSearchParams();
  if (userId !== undefined) query.set('user_id', userId);
  if (token !== null) query.set('access_token', token);
  if (after >= 0) query.set('after', String(after));
  base.search = query.toString();
  base.hash = '';
  return base.href;
}
