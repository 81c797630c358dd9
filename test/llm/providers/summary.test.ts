import { afterEach, expect, it } from 'vitest';
import { geminiRequestBody, startFakeGeminiServer, type FakeGeminiServer } from '../../fakes/fake-gemini-server.js';
import { openAiRequestBody, startFakeOpenAiServer, type FakeOpenAiServer } from '../../fakes/fake-openai-server.js';
import { historyItem, runnerFor, testSettings } from './provider-harness.js';

let server: FakeGeminiServer | FakeOpenAiServer;
afterEach(() => server?.stop());

const conversation = [historyItem.user('What is 19 + 23?'), historyItem.toolCall('c1', 'add', { a: 19, b: 23 }), historyItem.toolResult('c1', 'add', { result: { sum: 42 } }), historyItem.assistant('It is 42.')];

it('summarizes a session through Gemini in one call', async () => {
  server = await startFakeGeminiServer({ replies: [{ kind: 'text', text: 'The user asked for 19 + 23; the answer was 42.' }] });
  const runner = runnerFor(testSettings({ GEMINI_BASE_URL: server.baseUrl, GEMINI_API_KEY: 'gemini-test-key' }));
  expect(await runner.summarize(conversation)).toStrictEqual({ summary: 'The user asked for 19 + 23; the answer was 42.', method: 'model' });
  expect(server.requests).toHaveLength(1);
  expect(server.requests[0]?.url).toBe('/v1beta/models/gemini-3.5-flash:generateContent');
  expect(JSON.stringify(geminiRequestBody(server.requests[0]).contents)).toContain('19 + 23');
});

it('summarizes a session through an OpenAI-compatible server in one call', async () => {
  server = await startFakeOpenAiServer({ replies: [{ kind: 'text', text: 'A sum was computed: 42.' }] });
  const runner = runnerFor(testSettings({ OPENAI_BASE_URL: server.baseUrl }));
  expect(await runner.summarize(conversation)).toStrictEqual({ summary: 'A sum was computed: 42.', method: 'model' });
  expect(openAiRequestBody(server.requests[0]).stream).toBeUndefined();
});

it('falls back to the extractive summary when the provider fails', async () => {
  server = await startFakeOpenAiServer({ replies: () => ({ kind: 'error', status: 401 }) });
  const runner = runnerFor(testSettings({ OPENAI_BASE_URL: server.baseUrl }));
  const result = await runner.summarize(conversation);
  expect(result.method).toBe('extractive');
  expect(result.summary).toContain('19 + 23');
});
