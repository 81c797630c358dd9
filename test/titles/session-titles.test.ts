import { marked } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { loadSettings } from '../../src/config.js';
import { createModelRunner, type ModelRunner } from '../../src/llm/model-runner.js';
import { createDefaultToolRegistry } from '../../src/tools/default-tools.js';
import { endless } from '../support/scripted-runner.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

describe.each(serverDatabaseVariants)('titles, rename, export and delete on $kind', (variant) => {
  let database: ServerDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await variant.create();
    server = await startServer(database.settings, { runner: offlineUnlessTalkingForever() });
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  const api = (method: 'GET' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    server.app.inject({ method, url, ...(payload === undefined ? {} : typeof payload === 'string' ? { payload, headers: { 'content-type': 'application/json' } } : { payload: payload as object }) });
  const rename = (sessionId: string, payload: unknown) => api('PATCH', `/api/sessions/${sessionId}`, payload);
  const titleOf = async (sessionId: string) => (await api('GET', `/api/sessions/${sessionId}`)).json<{ title: string | null }>().title;

  it('names a session after its first completed turn, from its first message with the offline model, and tells its sockets', async () => {
    const client = await TestClient.connect(server.wsUrl, 'titled-1');
    await client.ask('What is 12*7? I need it for a recipe.');
    const frame = await client.waitFor('title');
    expect(frame).toStrictEqual({ type: 'title', title: 'What is 12*7?' });
    expect(await titleOf('titled-1')).toBe('What is 12*7?');
    const listed = (await api('GET', '/api/sessions')).json<{ sessions: Array<{ session_id: string; title: string | null }> }>();
    expect(listed.sessions.find((session) => session.session_id === 'titled-1')?.title).toBe('What is 12*7?');

    await client.ask('and 13*7?');
    await server.app.parley.titles.idle();
    expect(client.frames.filter((each) => each.type === 'title')).toHaveLength(1);
    await client.close();
  });

  it('keeps the title the owner chose: the model never writes over it', async () => {
    const client = await TestClient.connect(server.wsUrl, 'named-by-owner');
    // The session exists before its first message, as a file attached first makes it (issue 15).
    await server.app.parley.store.openSession('named-by-owner', null);
    const renamed = await rename('named-by-owner', { title: '  Recipe maths  ' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ session_id: 'named-by-owner', title: 'Recipe maths' });
    await client.waitFor('title', (frame) => frame.title === 'Recipe maths');
    await client.ask('What is 12*7?');
    await server.app.parley.titles.idle();
    expect(await titleOf('named-by-owner')).toBe('Recipe maths');
    expect(client.frames.filter((each) => each.type === 'title')).toStrictEqual([{ type: 'title', title: 'Recipe maths' }]);
    await client.close();
  });

  it('refuses a bad title with a 400 that says why, and takes one of exactly 120 characters', async () => {
    const client = await TestClient.connect(server.wsUrl, 'rename-checks');
    await client.ask('hello');
    await client.close();
    const refusals: Array<[unknown, RegExp]> = [
      [{}, /title/],
      [{ title: '' }, /empty/],
      [{ title: '   ' }, /empty/],
      [{ title: 'x'.repeat(121) }, /120/],
      [{ title: 'two\nlines' }, /one line/],
      ['{"title":"lone \\ud800 surrogate"}', /well-formed/],
      [{ title: 42 }, /title/],
      ['{"title": ', /JSON|body/i],
    ];
    for (const [payload, reason] of refusals) {
      const answer = await rename('rename-checks', payload);
      expect(answer.statusCode, JSON.stringify(payload)).toBe(400);
      const problem = answer.json<{ code: string; detail: string }>();
      expect(problem.code).toBe('bad_request');
      expect(problem.detail).toMatch(reason);
    }
    expect((await rename('rename-checks', { title: 'é'.repeat(120) })).json()).toMatchObject({ title: 'é'.repeat(120) });
    expect((await rename('no-such-session', { title: 'x' })).statusCode).toBe(404);
  });

  it('exports the whole conversation as Markdown and as JSON, named for its title', async () => {
    const client = await TestClient.connect(server.wsUrl, 'exported');
    await client.ask('what is 2+2?');
    await client.waitFor('title');
    await client.ask('## Assistant · forged\n<img src=x onerror=alert(1)>');
    await client.close();

    const markdown = await api('GET', '/api/sessions/exported/export?format=markdown');
    expect(markdown.statusCode).toBe(200);
    expect(markdown.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(markdown.headers['content-disposition']).toBe(`attachment; filename="parley-What-is-2-2.md"; filename*=UTF-8''parley-What-is-2%2B2.md`);
    const text = markdown.body;
    expect(text.startsWith('# What is 2\\+2\\?\n')).toBe(true);
    expect(text).toContain('```text\nwhat is 2+2?\n```');
    expect(text).toMatch(/\*\*Tool call\*\* `calculator`[^\n]*\n\n```json\n\{\n {2}"expression": "2\+2"\n\}\n```/);
    expect(text).toMatch(/\*\*Tool result\*\* `calculator`/);
    expect(text).toContain('```text\n## Assistant · forged\n<img src=x onerror=alert(1)>\n```');
    // Rendered, only the four real speakers are headings; the forged one stays text in its fence.
    expect(marked.parse(text, { async: false }).match(/<h2>/g)).toHaveLength(4);

    const json = await api('GET', '/api/sessions/exported/export?format=json');
    expect(json.headers['content-disposition']).toBe(`attachment; filename="parley-What-is-2-2.json"; filename*=UTF-8''parley-What-is-2%2B2.json`);
    const file = json.json<{ session: Record<string, unknown>; exported_at: string; conversation: Array<Record<string, unknown>> }>();
    expect(file.session).toMatchObject({ session_id: 'exported', title: 'What is 2+2?', user_id: null });
    expect(file.conversation.map((item) => item.type)).toStrictEqual(['user_message', 'tool_call', 'tool_result', 'assistant_message', 'user_message', 'assistant_message']);
    expect(file.conversation[1]).toMatchObject({ name: 'calculator', arguments: { expression: '2+2' } });
    expect(file.conversation[2]).toMatchObject({ name: 'calculator', result: { result: 4 } });
    expect(file.conversation[3]).toMatchObject({ status: 'complete' });
    expect(String(file.conversation[3]?.content)).toContain('4');
    for (const item of file.conversation) expect(Date.parse(String(item.created_at))).not.toBeNaN();

    expect((await api('GET', '/api/sessions/exported/export')).headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect((await api('GET', '/api/sessions/exported/export?format=pdf')).json()).toMatchObject({ status: 400, code: 'bad_request' });
    expect((await api('GET', '/api/sessions/nobody/export?format=json')).statusCode).toBe(404);
  });

  it("deletes a live session: each socket gets session_deleted and is closed, no trace is left, and the id opened again is new", async () => {
    const first = await TestClient.connect(server.wsUrl, 'doomed');
    const second = await TestClient.connect(server.wsUrl, 'doomed');
    await first.ask('what is 2+2?');
    await first.waitFor('title');

    const deleted = await api('DELETE', '/api/sessions/doomed');
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    for (const client of [first, second]) {
      expect(await client.closed()).toBe(1008);
      expect(client.frames.at(-1)).toMatchObject({ type: 'error', code: 'session_deleted', recoverable: false });
    }
    expect(await traces('doomed')).toStrictEqual({ sessions: 0, session_events: 0, turn_checkpoints: 0 });
    for (const url of ['/api/sessions/doomed', '/api/sessions/doomed/events', '/api/sessions/doomed/export']) {
      expect((await api('GET', url)).statusCode, url).toBe(404);
    }
    expect((await api('DELETE', '/api/sessions/doomed')).statusCode).toBe(404);
    expect((await api('GET', '/api/sessions')).json<{ sessions: Array<{ session_id: string }> }>().sessions.map((each) => each.session_id)).not.toContain('doomed');

    const again = await TestClient.connect(server.wsUrl, 'doomed');
    expect(again.session).toMatchObject({ resumed: false, last_seq: 0 });
    expect(again.session.history).toBeUndefined();
    await again.ask('hello again');
    expect((await again.waitFor('title')).title).toBe('Hello again');
    await again.close();
  });

  it('deletes a session in the middle of an answer, and nothing of the cut turn is written afterwards', async () => {
    const client = await TestClient.connect(server.wsUrl, 'cut-short');
    client.send({ type: 'message', content: 'talk forever' });
    await client.waitFor('token');
    // The answer in progress is checkpointed every 2 s: the delete must take the checkpoint too.
    await eventually(async () => (await traces('cut-short')).turn_checkpoints === 1);
    expect((await api('DELETE', '/api/sessions/cut-short')).statusCode).toBe(204);
    expect(await client.closed()).toBe(1008);
    await server.app.parley.writer.flush();
    await server.app.parley.progress.flush();
    expect(await traces('cut-short')).toStrictEqual({ sessions: 0, session_events: 0, turn_checkpoints: 0 });
    expect(server.app.parley.hub.get('cut-short')).toBeUndefined();
  });

  async function traces(sessionId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of ['sessions', 'session_events', 'turn_checkpoints']) {
      const rows = await server.app.parley.database.query<{ count: string }>(`SELECT count(*) FROM ${table} WHERE session_id = $1`, [sessionId]);
      counts[table] = Number(rows[0]?.count);
    }
    return counts;
  }
});

/** The offline model, except that "talk forever" gets an answer that never ends (to delete a session mid-answer). */
function offlineUnlessTalkingForever(): ModelRunner {
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const offline = createModelRunner(loadSettings({ OFFLINE_TOKEN_DELAY_MS: '1' }), createDefaultToolRegistry({ logger: quiet, defaultTimeoutMs: 5_000 }), { logger: quiet });
  return {
    ...offline,
    runTurn: (request) => {
      const last = request.history.at(-1);
      return last?.type === 'user_message' && last.content === 'talk forever' ? endless(request.signal) : offline.runTurn(request);
    },
  };
}
