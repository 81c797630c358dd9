import { afterEach, expect, it } from 'vitest';
import { startFakeGeminiServer, type FakeGeminiServer } from '../../fakes/fake-gemini-server.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../fakes/fake-openai-server.js';
import type { FakeProviderOptions } from '../../fakes/fake-reply.js';
import { historyItem, runnerFor, runTurn, testSettings, textOf } from './provider-harness.js';

let openai: FakeOpenAiServer;
let gemini: FakeGeminiServer;
afterEach(async () => {
  await openai?.stop();
  await gemini?.stop();
});

async function openaiThenGemini(openaiOptions: FakeProviderOptions, geminiOptions: FakeProviderOptions = {}) {
  openai = await startFakeOpenAiServer(openaiOptions);
  gemini = await startFakeGeminiServer(geminiOptions);
  return runnerFor(
    testSettings({
      LLM_PROVIDER: 'openai',
      LLM_FALLBACK: 'gemini',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_API_KEY: 'sk-test',
      GEMINI_BASE_URL: gemini.baseUrl,
      GEMINI_API_KEY: 'gemini-test-key',
      LLM_MAX_RETRIES: '1',
    }),
  );
}

const question = [historyItem.user('Say hello.')];

it('answers from gemini when openai keeps failing before its first token', async () => {
  const runner = await openaiThenGemini({ replies: () => ({ kind: 'error', status: 503 }) }, { replies: [{ kind: 'text', text: 'Hello from Gemini.' }] });
  expect(runner.describe()).toStrictEqual({ provider: 'openai', model: 'gpt-4o-mini' });
  const outcome = await runTurn(runner, question);
  expect(outcome.error).toBeUndefined();
  expect(textOf(outcome.events)).toBe('Hello from Gemini.');
  expect(openai.requests).toHaveLength(2);
  expect(gemini.requests).toHaveLength(1);
});

it('names the fallback model as the one answering, for the turn\'s record', async () => {
  const runner = await openaiThenGemini({ replies: () => ({ kind: 'error', status: 503 }) }, { replies: [{ kind: 'text', text: 'Hello from Gemini.' }] });
  const answering: string[] = [];
  for await (const event of runner.runTurn({ history: question, signal: new AbortController().signal, onModel: (modelId) => answering.push(modelId) })) void event;
  expect(answering).toStrictEqual(['gemini-3.5-flash']);
});

it('falls back at once on a refused key, which no retry would fix', async () => {
  const runner = await openaiThenGemini({ replies: () => ({ kind: 'error', status: 401 }) });
  const outcome = await runTurn(runner, question);
  expect(outcome.error).toBeUndefined();
  expect(textOf(outcome.events)).toBe('token0 token1 token2 token3 token4 ');
  expect(openai.requests).toHaveLength(1);
});

it('does not fall back once openai has started answering', async () => {
  const runner = await openaiThenGemini({ replies: [{ kind: 'break', tokens: ['Hel'] }] });
  const outcome = await runTurn(runner, question);
  expect(outcome.events).toStrictEqual([{ type: 'text', text: 'Hel' }]);
  expect(outcome.error?.code).toBe('llm_error');
  expect(gemini.requests).toHaveLength(0);
});

it('reports the first provider\'s failure, noting the fallback\'s, when both fail', async () => {
  const runner = await openaiThenGemini({ replies: () => ({ kind: 'error', status: 401 }) }, { replies: () => ({ kind: 'error', status: 404 }) });
  const outcome = await runTurn(runner, question);
  expect(outcome.error?.code).toBe('llm_auth');
  expect(outcome.error?.message).toMatch(/set a valid OPENAI_API_KEY.*Fallback failed too \(gemini \(gemini-3\.5-flash\): .*check GEMINI_MODEL/);
});

it('falls back to the offline model when the openai server cannot be reached', async () => {
  openai = await startFakeOpenAiServer();
  const baseUrl = openai.baseUrl;
  await openai.stop();
  const runner = runnerFor(testSettings({ OPENAI_BASE_URL: baseUrl, LLM_FALLBACK: 'offline', LLM_MAX_RETRIES: '0' }));
  const outcome = await runTurn(runner, question);
  expect(outcome.error).toBeUndefined();
  expect(textOf(outcome.events)).toContain('offline');
});
