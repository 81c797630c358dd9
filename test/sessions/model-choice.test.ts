import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGeminiServer } from '../fakes/fake-gemini-server.js';
import { startFakeGeminiServer } from '../fakes/fake-gemini-server.js';
import type { RecordedRequest } from '../fakes/fake-http-server.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { eventually } from '../support/eventually.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

/** Only the turns' requests: titles and embeddings go to the default model's provider too. */
const isTurn = (request: RecordedRequest) => !JSON.stringify(request.body).includes('You name a Parley chat session') && !request.url.includes('embed');

/** Issue 15, item 9: a session answers with the model its user picked, and says which answered. */
describe.each(serverDatabaseVariants)('model choice on $kind', (variant) => {
  let database: ServerDatabase;
  let openai: FakeOpenAiServer;
  let gemini: FakeGeminiServer;
  let server: RunningServer;

  beforeAll(async () => {
    database = await variant.create();
    openai = await startFakeOpenAiServer({ replies: () => ({ kind: 'text', text: 'OpenAI speaking.' }) });
    gemini = await startFakeGeminiServer({ replies: () => ({ kind: 'text', text: 'Gemini speaking.' }) });
    server = await startServer({
      ...database.settings,
      LLM_MODELS: 'openai:gpt-fake,gemini:gemini-fake',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_API_KEY: 'sk-test',
      GEMINI_API_KEY: 'gemini-test',
      GEMINI_BASE_URL: gemini.baseUrl,
      SEARCH_EMBEDDINGS: 'off',
      LLM_MAX_RETRIES: '0',
    });
  });
  afterAll(async () => {
    await server?.close();
    await openai?.stop();
    await gemini?.stop();
    await database?.dispose();
  });

  it('lists the models with the current one, answers with the one a message picks, and keeps the pick across reconnects', async () => {
    const sessionId = `pick-${variant.kind}-${Date.now()}`;
    const client = await TestClient.connect(server.wsUrl, sessionId);
    expect(client.session.models).toStrictEqual([
      { id: 'openai:gpt-fake', provider: 'openai', model: 'gpt-fake', current: true },
      { id: 'gemini:gemini-fake', provider: 'gemini', model: 'gemini-fake', current: false },
    ]);
    expect(client.session.model).toStrictEqual({ id: 'openai:gpt-fake', provider: 'openai', model: 'gpt-fake' });

    const byDefault = await client.ask('Who are you?');
    expect(TestClient.text(byDefault)).toBe('OpenAI speaking.');
    expect(byDefault.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop', model: 'gpt-fake' });

    const geminiTurnsBefore = gemini.requests.filter(isTurn).length;
    const picked = await client.ask('And now?', { model: 'gemini:gemini-fake' });
    expect(TestClient.text(picked)).toBe('Gemini speaking.');
    expect(picked.at(-1)).toMatchObject({ type: 'done', model: 'gemini-fake' });
    expect(gemini.requests.filter(isTurn).length).toBe(geminiTurnsBefore + 1);

    // The pick sticks: the next message names no model and Gemini answers again.
    const next = await client.ask('Still you?');
    expect(TestClient.text(next)).toBe('Gemini speaking.');
    await client.close();

    const events = await server.app.parley.store.loadEvents(sessionId);
    expect(events.filter((event) => event.event_type === 'assistant_message').map((event) => event.metadata.model)).toStrictEqual([
      'gpt-fake',
      'gemini-fake',
      'gemini-fake',
    ]);
    expect(await server.app.parley.store.getSession(sessionId)).toMatchObject({ model: 'gemini:gemini-fake' });

    // Reloaded from the database (out of memory first): the session frame says Gemini, and history names each answer's model.
    await eventually(() => server.app.parley.hub.get(sessionId) === undefined);
    const again = await TestClient.connect(server.wsUrl, sessionId);
    expect(again.session.model).toMatchObject({ id: 'gemini:gemini-fake' });
    expect(again.session.models?.find((model) => model.current)?.id).toBe('gemini:gemini-fake');
    expect(again.session.history?.filter((item) => item.type === 'assistant_message').map((item) => item.model)).toStrictEqual([
      'gpt-fake',
      'gemini-fake',
      'gemini-fake',
    ]);
    await again.close();
  });

  it('refuses a model the server does not offer with unknown_model, runs nothing, and the connection goes on', async () => {
    const client = await TestClient.connect(server.wsUrl, `unknown-model-${variant.kind}-${Date.now()}`);
    const requestsBefore = openai.requests.length + gemini.requests.length;
    client.send({ type: 'message', content: 'hi', id: 'm1', model: 'openai:gpt-5-imaginary' });
    const error = await client.waitFor('error');
    expect(error).toMatchObject({ code: 'unknown_model', id: 'm1' });
    expect(error.message).toContain('openai:gpt-fake, gemini:gemini-fake');
    expect(openai.requests.length + gemini.requests.length).toBe(requestsBefore);
    const answered = await client.ask('hi', { id: 'm2' });
    expect(answered[0]).toMatchObject({ type: 'ack', id: 'm2' });
    await client.close();
  });
});
