import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWithSecret, userClaims } from '../auth/support/tokens.js';
import { eventually } from '../support/eventually.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

const secret = 'search-route-jwt-secret-of-forty-chars!!';
const apiToken = 'search-route-operator-token';

describe.each(serverDatabaseVariants)('GET /api/search on $kind', (variant) => {
  let database: ServerDatabase;
  let server: RunningServer;
  const tokens: Record<string, string> = {};

  const search = (query: string, credential: string | undefined) =>
    server.app.inject({ url: `/api/search?${query}`, headers: credential === undefined ? {} : { authorization: `Bearer ${credential}` } });
  const sessionsFound = async (query: string, credential: string | undefined) => {
    const response = await search(query, credential);
    expect(response.statusCode).toBe(200);
    return [...new Set(response.json<{ hits: Array<{ session_id: string }> }>().hits.map((hit) => hit.session_id))].sort();
  };

  beforeAll(async () => {
    database = await variant.create();
    server = await startServer({ ...database.settings, AUTH_JWT_SECRET: secret, API_TOKEN: apiToken, RATE_LIMIT_HTTP_PER_MINUTE: '200' });
    tokens.alice = await signWithSecret(secret, userClaims({ sub: 'alice' }));
    tokens.bob = await signWithSecret(secret, userClaims({ sub: 'bob' }));
    for (const owner of ['alice', 'bob']) {
      const client = await TestClient.connect(server.wsUrl, `${owner}-zeppelins`, { access_token: tokens[owner]! });
      await client.ask(`${owner} wonders how zeppelins float`);
      await client.waitFor('title');
      await client.close();
    }
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  it("finds a user's own sessions only, whatever user_id they name; operators find all, or one user's", async () => {
    expect(await sessionsFound('q=zeppelins', tokens.alice)).toStrictEqual(['alice-zeppelins']);
    expect(await sessionsFound('q=zeppelins&user_id=bob', tokens.alice)).toStrictEqual(['alice-zeppelins']);
    expect(await sessionsFound('q=zeppelins', tokens.bob)).toStrictEqual(['bob-zeppelins']);
    expect(await sessionsFound('q=zeppelins', apiToken)).toStrictEqual(['alice-zeppelins', 'bob-zeppelins']);
    expect(await sessionsFound('q=zeppelins&user_id=bob', apiToken)).toStrictEqual(['bob-zeppelins']);
  });

  it('answers 401 without a token', async () => {
    const response = await search('q=zeppelins', undefined);
    expect([response.statusCode, response.json<{ code: string }>().code]).toStrictEqual([401, 'unauthorized']);
  });

  it('names the session and seq of the message, with its words marked, once even where the title repeats them', async () => {
    const response = await search('q=zeppelin+float', tokens.alice);
    expect(response.json()).toStrictEqual({
      hits: [
        {
          session_id: 'alice-zeppelins',
          seq: 1,
          event_type: 'user_message',
          title: 'Alice wonders how zeppelins float',
          created_at: expect.any(String) as unknown,
          snippet: 'alice wonders how <mark>zeppelins</mark> <mark>float</mark>',
        },
      ],
      next_cursor: null,
    });
  });

  it('finds typos once the background index has read the messages', async () => {
    const found = await eventually(async () => {
      const hits = await sessionsFound('q=zepelins', tokens.alice);
      return hits.length > 0 ? hits : undefined;
    });
    expect(found).toStrictEqual(['alice-zeppelins']);
  });

  it('says in /health which search modes run', async () => {
    const health = await server.app.inject({ url: '/health' });
    expect(health.json<{ search: unknown }>().search).toStrictEqual({ full_text: true, trigram: true, semantic: 'builtin' });
  });

  it.each([
    ['no q', 'limit=5', /q is required/],
    ['an empty q', 'q=', /q is empty/],
    ['blanks only', 'q=%20%20%20', /q is empty/],
    ['10,000 characters', `q=${'a'.repeat(10_000)}`, /longer than 500 characters/],
    ['a minus alone', 'q=-', /no word to look for/],
    ['a quote alone', 'q=%22', /no word to look for/],
    ['OR alone', 'q=OR', /no word to look for/],
    ['exclusions only', 'q=-zeppelins', /no word to look for/],
    ['limit 0', 'q=zeppelins&limit=0', /limit is at least 1/],
    ['limit 1000', 'q=zeppelins&limit=1000', /limit is at most 50/],
    ['a limit that is no number', 'q=zeppelins&limit=many', /limit must be a number/],
    ['a made-up cursor', 'q=zeppelins&cursor=abc', /not one this search returned/],
    ['a q given twice', 'q=one&q=two', /q/],
  ])('answers %s with a 400 bad_request problem', async (_case, query, detail) => {
    const response = await search(query, tokens.alice);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'bad_request', detail: expect.stringMatching(detail) as unknown });
  });

  it('is rate limited like every API route', async () => {
    let response = await search('q=zeppelins', tokens.alice);
    for (let count = 0; count < 200 && response.statusCode === 200; count += 1) response = await search('q=zeppelins', tokens.alice);
    expect(response.statusCode).toBe(429);
    expect(response.json<{ code: string }>().code).toBe('rate_limited');
  });
});
