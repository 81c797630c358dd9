import { afterEach, expect, it } from 'vitest';
import { openAiRequestBody, startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { eventually } from '../support/eventually.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

let provider: FakeOpenAiServer | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  await provider?.stop();
});

it('finalizes with the extractive summary when the summary model fails, and logs why', async () => {
  // Turns stream and succeed; the summary (the one request that does not stream) is refused.
  provider = await startFakeOpenAiServer({
    replies: (request) => (openAiRequestBody(request).stream === true ? { kind: 'text', text: 'Hello there.' } : { kind: 'error', status: 401 }),
  });
  const logLines: Array<Record<string, unknown>> = [];
  const logStream = { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) };
  server = await startServer(
    { LOG_LEVEL: 'warn', LLM_PROVIDER: 'openai', OPENAI_BASE_URL: provider.baseUrl, OPENAI_API_KEY: 'sk-test', LLM_MAX_RETRIES: '0' },
    { logStream },
  );
  const client = await TestClient.connect(server.wsUrl, 'summary-failure');
  await client.ask('hello');
  await client.close();

  const { store } = server.app.parley;
  const session = await eventually(async () => {
    const row = await store.getSession('summary-failure');
    return row && !row.is_active ? row : undefined;
  });
  expect(session.metadata.summary_method).toBe('extractive');
  expect(session.summary).toBe('The user asked: "hello". The last answer was: "Hello there".');
  const logged = logLines.filter((line) => line.msg === 'summary model failed; using the extractive summary');
  expect(logged).toHaveLength(1);
  expect(logged[0]?.err).toMatchObject({ type: 'ParleyError', code: 'llm_auth' });
});
