import { afterEach, expect, it } from 'vitest';
import { openAiRequestBody, startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import type { RecordedRequest } from '../fakes/fake-http-server.js';
import type { FakeReply } from '../fakes/fake-reply.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

let provider: FakeOpenAiServer | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  await provider?.stop();
});

const isTitleRequest = (request: RecordedRequest) =>
  JSON.stringify(openAiRequestBody(request).messages[0]?.content ?? '').includes('You name a Parley chat session.');

async function start(titleReply: FakeReply) {
  provider = await startFakeOpenAiServer({
    replies: (request) => (isTitleRequest(request) ? titleReply : { kind: 'text', text: 'It is 84.' }),
  });
  const logLines: Array<Record<string, unknown>> = [];
  const logStream = { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) };
  server = await startServer(
    { LOG_LEVEL: 'warn', LLM_PROVIDER: 'openai', OPENAI_BASE_URL: provider.baseUrl, OPENAI_API_KEY: 'sk-test', LLM_MAX_RETRIES: '0' },
    { logStream },
  );
  return { logLines };
}

it("titles a session with the model's words after its first turn, from the first exchange, after the turn's done", async () => {
  await start({ kind: 'text', text: 'Title: "Multiplying for a recipe."' });
  const client = await TestClient.connect(server!.wsUrl, 'model-titled');
  const frames = await client.ask('What is 12*7? I need it for a recipe.');
  const title = await client.waitFor('title');
  expect(title.title).toBe('Multiplying for a recipe');
  expect(client.frames.indexOf(title)).toBeGreaterThan(client.frames.indexOf(frames.at(-1)!));
  expect((await server!.app.parley.store.getSession('model-titled'))?.title).toBe('Multiplying for a recipe');

  const titleRequests = provider!.requests.filter(isTitleRequest);
  expect(titleRequests).toHaveLength(1);
  const prompt = JSON.stringify(openAiRequestBody(titleRequests[0]).messages);
  expect(prompt).toContain('User: What is 12*7? I need it for a recipe.');
  expect(prompt).toContain('Assistant: It is 84.');

  await client.ask('and 13*7?');
  await server!.app.parley.titles.idle();
  expect(provider!.requests.filter(isTitleRequest)).toHaveLength(1);
  await client.close();
});

it('falls back to the extractive title when the model fails, and logs why', async () => {
  const { logLines } = await start({ kind: 'error', status: 500, message: 'upstream broke' });
  const client = await TestClient.connect(server!.wsUrl, 'model-failed');
  await client.ask('What is 12*7? I need it for a recipe.');
  expect((await client.waitFor('title')).title).toBe('What is 12*7?');
  expect(logLines.filter((line) => line.msg === 'title model failed; using the extractive title')).toHaveLength(1);
  await client.close();
});
