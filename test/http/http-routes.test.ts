import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('GET /', () => {
  it('answers an API client with JSON metadata', async () => {
    const response = await server.app.inject({ url: '/', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Parley', websocket: '/ws/session/{session_id}', docs: '/docs' });
  });

  it('tells the page that no sign-in is needed when no auth setting is set', async () => {
    const response = await server.app.inject({ url: '/', headers: { accept: 'application/json' } });
    expect(response.json<{ auth: unknown }>().auth).toStrictEqual({ mode: 'open' });
  });

  it('answers a browser with the chat page when it is built', async () => {
    const response = await server.app.inject({ url: '/', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toMatch(/<html/i);
  });
});

describe('GET /health', () => {
  it('is 200 with status ok, the database kind and the model, never a key', async () => {
    const response = await server.app.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      database: { kind: 'pglite', status: 'up' },
      model: { provider: 'offline', model: 'parley-offline' },
    });
  });

  it('is 503 when the database does not answer, telling why only to the log', async () => {
    const logLines: Array<Record<string, unknown>> = [];
    const logStream = { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) };
    const broken = await startServer({ LOG_LEVEL: 'warn' }, { logStream });
    await broken.app.parley.database.close();
    const response = await broken.app.inject({ url: '/health' });
    await broken.close();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unavailable' });
    expect(response.json<{ database: unknown }>().database).toStrictEqual({ kind: 'pglite', status: 'down' });
    const logged = logLines.find((line) => line.msg === 'database health check failed');
    expect(logged?.err).toMatchObject({ message: expect.any(String) as unknown });
    expect(response.body).not.toContain((logged?.err as { message: string }).message);
  });
});

describe('docs', () => {
  it('serves the OpenAPI document describing the session routes and their schemas', async () => {
    const response = await server.app.inject({ url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    interface OpenApiDocument {
      openapi: string;
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { properties: object } }> }> } }>;
    }
    const document = response.json<OpenApiDocument>();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/sessions', '/api/sessions/{id}', '/api/sessions/{id}/events', '/health']));
    const sessionSchema = document.paths['/api/sessions/{id}']?.get.responses['200']?.content['application/json']?.schema;
    expect(Object.keys(sessionSchema?.properties ?? {})).toEqual(
      expect.arrayContaining(['session_id', 'user_id', 'start_time', 'end_time', 'is_active', 'summary', 'metadata']),
    );
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await server.app.inject({ url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/swagger/i);
  });
});

describe('/api/sessions', () => {
  it('lists sessions newest first, paginated with a cursor, without gaps or repeats', async () => {
    const ids = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
    for (const id of ids) {
      const client = await TestClient.connect(server.wsUrl, id, { user_id: 'pager' });
      // A session exists from its first message.
      await client.ask('hello');
      await client.close();
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/sessions?limit=2&user_id=pager${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await server.app.inject({ url: query })).json<{ sessions: Array<{ session_id: string }>; next_cursor: string | null }>();
      expect(page.sessions.length).toBeLessThanOrEqual(2);
      seen.push(...page.sessions.map((session) => session.session_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toStrictEqual([...ids].reverse());
  });

  it('returns one session with the contract fields', async () => {
    const client = await TestClient.connect(server.wsUrl, 'one-session', { user_id: 'u1' });
    await client.ask('hello');
    await client.close();
    const response = await server.app.inject({ url: '/api/sessions/one-session' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ session_id: 'one-session', user_id: 'u1', is_active: true, end_time: null, summary: null });
  });

  it('returns its events in order with id, event_type, content, metadata and created_at', async () => {
    const client = await TestClient.connect(server.wsUrl, 'with-events');
    await client.ask('what is 3*3?');
    await client.close();
    await server.app.parley.writer.flush();
    const response = await server.app.inject({ url: '/api/sessions/with-events/events' });
    expect(response.statusCode).toBe(200);
    const { events } = response.json<{ events: Array<Record<string, unknown>> }>();
    expect(events.map((event) => event.event_type)).toStrictEqual(['user_message', 'tool_call', 'tool_result', 'assistant_message']);
    for (const event of events) expect(Object.keys(event)).toEqual(expect.arrayContaining(['id', 'event_type', 'content', 'metadata', 'created_at']));
    expect(events[3]?.metadata).toMatchObject({ status: 'complete', ttft_ms: expect.any(Number) as unknown, duration_ms: expect.any(Number) as unknown });
  });

  it('answers an unknown session with a 404 problem', async () => {
    for (const url of ['/api/sessions/nobody-here', '/api/sessions/nobody-here/events']) {
      const response = await server.app.inject({ url });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 404, code: 'not_found' });
    }
  });

  it('answers a malformed id or limit with a 400 problem', async () => {
    const badLimit = await server.app.inject({ url: '/api/sessions?limit=0' });
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json()).toMatchObject({ code: 'bad_request' });
    const badId = await server.app.inject({ url: '/api/sessions/bad%20id!' });
    expect(badId.statusCode).toBe(400);
  });
});

describe('GET /metrics', () => {
  it('exposes Prometheus metrics about connections, turns and the event writer', async () => {
    const response = await server.app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/parley_ws_connections/);
    expect(response.body).toMatch(/parley_turns_total\{status="complete"\} \d+/);
    expect(response.body).toMatch(/parley_event_writer_round_trips \d+/);
  });

  it('keeps the process measures but not the Node.js version, which would only help an attacker', async () => {
    const response = await server.app.inject({ url: '/metrics' });
    expect(response.body).toMatch(/parley_process_process_resident_memory_bytes \d+/);
    expect(response.body).toMatch(/parley_process_nodejs_eventloop_lag_seconds /);
    expect(response.body).not.toMatch(/version_info|v\d+\.\d+\.\d+/);
  });
});
