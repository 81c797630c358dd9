import type { ServerResponse } from 'node:http';
import { FakeHttpServer, type RecordedRequest } from './fake-http-server.js';

/** One user's sessions: the access token the link carries, and what each refresh token turns into. */
export interface FakeGoTrueUser {
  id: string;
  email: string;
  /** Access tokens this GoTrue has issued, which `GET /auth/v1/user` accepts. */
  issued: string[];
  /** refresh token -> the session it is exchanged for. */
  refreshes: Map<string, { accessToken: string; refreshToken: string }>;
}

/**
 * Supabase Auth (GoTrue) as supabase-js calls it from a browser for an email link, answering
 * as GoTrue's API documents: `POST /auth/v1/otp` (sends the link), `GET /auth/v1/user`
 * (the user of a session read from a followed link), `POST /auth/v1/token?grant_type=refresh_token`,
 * `POST /auth/v1/logout`, and CORS preflights, since the page calls it from another origin.
 */
export class FakeGoTrueServer extends FakeHttpServer {
  constructor(readonly user: FakeGoTrueUser) {
    super((recorded, response) => Promise.resolve(answer(recorded, response, user)));
  }

  /** The requests supabase-js made, without preflights. */
  calls(): RecordedRequest[] {
    return this.requests.filter((request) => request.method !== 'OPTIONS');
  }
}

function answer(recorded: RecordedRequest, response: ServerResponse, user: FakeGoTrueUser): void {
  const origin = String(recorded.headers.origin ?? '*');
  const cors = {
    'access-control-allow-origin': origin,
    'access-control-allow-headers': String(recorded.headers['access-control-request-headers'] ?? '*'),
    'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  };
  const send = (status: number, body?: unknown) => {
    response.writeHead(status, { ...cors, ...(body === undefined ? {} : { 'content-type': 'application/json' }) });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const url = new URL(recorded.url, 'http://gotrue');
  const bearer = String(recorded.headers.authorization ?? '').replace(/^Bearer /, '');
  const userJson = { id: user.id, aud: 'authenticated', role: 'authenticated', email: user.email, app_metadata: { provider: 'email' }, user_metadata: {}, created_at: '2025-01-01T00:00:00Z' };

  if (recorded.method === 'OPTIONS') return send(204);
  if (recorded.method === 'POST' && url.pathname === '/auth/v1/otp') return send(200, {});
  if (recorded.method === 'GET' && url.pathname === '/auth/v1/user') {
    return user.issued.includes(bearer) ? send(200, userJson) : send(401, { code: 401, error_code: 'bad_jwt', msg: 'invalid JWT' });
  }
  if (recorded.method === 'POST' && url.pathname === '/auth/v1/token' && url.searchParams.get('grant_type') === 'refresh_token') {
    const next = user.refreshes.get(String((recorded.body as { refresh_token?: unknown } | undefined)?.refresh_token));
    if (next === undefined) return send(400, { code: 400, error_code: 'refresh_token_not_found', msg: 'Invalid Refresh Token: Refresh Token Not Found' });
    user.issued.push(next.accessToken);
    const expiresIn = 3600;
    return send(200, {
      access_token: next.accessToken,
      token_type: 'bearer',
      expires_in: expiresIn,
      expires_at: Math.floor(Date.now() / 1000) + expiresIn,
      refresh_token: next.refreshToken,
      user: userJson,
    });
  }
  if (recorded.method === 'POST' && url.pathname === '/auth/v1/logout') return send(204);
  return send(404, { code: 404, msg: `no route ${recorded.method} ${url.pathname}` });
}
