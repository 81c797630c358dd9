import { afterEach, describe, expect, it } from 'vitest';
import type { FakeHttpServer } from '../../fakes/fake-http-server.js';
import type { FakeProviderOptions } from '../../fakes/fake-reply.js';
import { startFakeGeminiServer } from '../../fakes/fake-gemini-server.js';
import { startFakeOpenAiServer } from '../../fakes/fake-openai-server.js';
import { historyItem, runnerFor, runTurn, testSettings } from './provider-harness.js';

interface ProviderUnderTest {
  name: string;
  start(options: FakeProviderOptions): Promise<FakeHttpServer & { baseUrl: string }>;
  settings(baseUrl: string): Record<string, string>;
  keySetting: string;
  badKeyStatuses: number[];
}

const providers: ProviderUnderTest[] = [
  {
    name: 'openai',
    start: startFakeOpenAiServer,
    settings: (baseUrl) => ({ LLM_PROVIDER: 'openai', OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-test' }),
    keySetting: 'OPENAI_API_KEY',
    badKeyStatuses: [401, 403],
  },
  {
    name: 'gemini',
    start: startFakeGeminiServer,
    settings: (baseUrl) => ({ LLM_PROVIDER: 'gemini', GEMINI_BASE_URL: baseUrl, GEMINI_API_KEY: 'gemini-test-key', GEMINI_MODEL: 'gemini-3.5-flash' }),
    keySetting: 'GEMINI_API_KEY',
    // Gemini answers a wrong key with 400 API_KEY_INVALID, a key without access with 403.
    badKeyStatuses: [400, 403],
  },
];

const question = [historyItem.user('Say hello.')];

describe.each(providers)('$name', (provider) => {
  let server: FakeHttpServer & { baseUrl: string };
  afterEach(() => server?.stop());

  const runnerOn = async (options: FakeProviderOptions, overrides: Record<string, string> = {}) => {
    server = await provider.start(options);
    return runnerFor(testSettings({ ...provider.settings(server.baseUrl), ...overrides }));
  };

  it.each(provider.badKeyStatuses)('reports a refused key (HTTP %i) as llm_auth naming the key setting, without retrying', async (status) => {
    const runner = await runnerOn({ replies: [{ kind: 'error', status }] });
    const outcome = await runTurn(runner, question);
    expect(outcome.events).toStrictEqual([]);
    expect(outcome.error?.code).toBe('llm_auth');
    expect(outcome.error?.message).toContain(`set a valid ${provider.keySetting}`);
    expect(server.requests).toHaveLength(1);
  });

  it('waits the Retry-After of a 429 and then answers', async () => {
    const runner = await runnerOn({ replies: [{ kind: 'error', status: 429, headers: { 'retry-after': '1' } }, { kind: 'text', text: 'Hello there.' }] });
    const startedAt = performance.now();
    const outcome = await runTurn(runner, question);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(950);
    expect(outcome.error).toBeUndefined();
    expect(outcome.events.filter((event) => event.type === 'text')).toStrictEqual([
      { type: 'text', text: 'Hello ' },
      { type: 'text', text: 'there.' },
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it('reports rate_limited once the retries are used up', async () => {
    const runner = await runnerOn({ replies: () => ({ kind: 'error', status: 429, headers: { 'retry-after': '0' } }) });
    const outcome = await runTurn(runner, question);
    expect(outcome.events).toStrictEqual([]);
    expect(outcome.error?.code).toBe('rate_limited');
    expect(outcome.error?.message).toMatch(/wait a minute and try again.*still failing after 2 retries/);
    expect(server.requests).toHaveLength(3);
  });

  it('does not wait for a Retry-After longer than the bound and says how long to wait', async () => {
    const runner = await runnerOn({ replies: () => ({ kind: 'error', status: 429, headers: { 'retry-after': '3600' } }) });
    const outcome = await runTurn(runner, question);
    expect(outcome.error?.code).toBe('rate_limited');
    expect(outcome.error?.message).toContain('asks to wait 3600 s');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 500 before the first token and then answers', async () => {
    const runner = await runnerOn({ replies: [{ kind: 'error', status: 500 }, { kind: 'text', text: 'Hello there.' }] });
    const outcome = await runTurn(runner, question);
    expect(outcome.error).toBeUndefined();
    expect(outcome.events.map((event) => event.type)).toStrictEqual(['text', 'text', 'finish']);
    expect(server.requests).toHaveLength(2);
  });

  it('fails with llm_error and never replays when the answer breaks off after its first token', async () => {
    const runner = await runnerOn({ replies: [{ kind: 'break', tokens: ['Half ', 'an '] }, { kind: 'text', text: 'Replayed answer.' }] });
    const outcome = await runTurn(runner, question);
    expect(outcome.events).toStrictEqual([
      { type: 'text', text: 'Half ' },
      { type: 'text', text: 'an ' },
    ]);
    expect(outcome.error?.code).toBe('llm_error');
    expect(outcome.error?.message).toContain('broke off its answer');
    expect(server.requests).toHaveLength(1);
  });

  it('ends a stream that stalls mid-answer with llm_timeout and closes the request', async () => {
    const runner = await runnerOn({ replies: [{ kind: 'stall', tokens: ['Still '] }] }, { LLM_IDLE_TIMEOUT_MS: '300' });
    const outcome = await runTurn(runner, question);
    expect(outcome.events).toStrictEqual([{ type: 'text', text: 'Still ' }]);
    expect(outcome.error?.code).toBe('llm_timeout');
    expect(outcome.error?.message).toContain('stopped sending for 300 ms');
    await server.waitForClientAbort(0);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a model that never starts, within the first-token limit, then reports llm_timeout', async () => {
    const runner = await runnerOn({ replies: () => ({ kind: 'stall' }) }, { LLM_FIRST_TOKEN_TIMEOUT_MS: '200', LLM_MAX_RETRIES: '1' });
    const outcome = await runTurn(runner, question);
    expect(outcome.events).toStrictEqual([]);
    expect(outcome.error?.code).toBe('llm_timeout');
    expect(outcome.error?.message).toContain('did not start answering within 200 ms');
    expect(server.requests).toHaveLength(2);
    await server.waitForClientAbort(1);
  });

  it('ends a blocked answer normally with finish_reason content_filter', async () => {
    const runner = await runnerOn({ replies: [{ kind: 'blocked', tokens: ['Well, '], usage: { promptTokens: 11, completionTokens: 2 } }] });
    const outcome = await runTurn(runner, question);
    expect(outcome.error).toBeUndefined();
    expect(outcome.events).toStrictEqual([
      { type: 'text', text: 'Well, ' },
      { type: 'finish', finishReason: 'content_filter', usage: { promptTokens: 11, completionTokens: 2 } },
    ]);
  });

  it('reports an unknown model (HTTP 404) as llm_unknown_model naming the model setting', async () => {
    const runner = await runnerOn({ replies: [{ kind: 'error', status: 404 }] });
    const outcome = await runTurn(runner, question);
    expect(outcome.error?.code).toBe('llm_unknown_model');
    expect(outcome.error?.message).toContain(`check ${provider.name.toUpperCase()}_MODEL`);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a server it cannot reach as llm_error naming the base URL setting', async () => {
    server = await provider.start({});
    const settings = testSettings({ ...provider.settings(server.baseUrl), LLM_MAX_RETRIES: '1' });
    await server.stop();
    const outcome = await runTurn(runnerFor(settings), question);
    expect(outcome.error?.code).toBe('llm_error');
    expect(outcome.error?.message).toContain(`check ${provider.name.toUpperCase()}_BASE_URL`);
  });
});
