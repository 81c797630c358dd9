import { afterEach, describe, expect, it } from 'vitest';
import { noAnswerNotes } from '../../../src/llm/history-to-prompt.js';
import type { FakeHttpServer, RecordedRequest } from '../../fakes/fake-http-server.js';
import { geminiRequestBody, startFakeGeminiServer } from '../../fakes/fake-gemini-server.js';
import { openAiRequestBody, startFakeOpenAiServer } from '../../fakes/fake-openai-server.js';
import type { FakeProviderOptions, FakeReply } from '../../fakes/fake-reply.js';
import { historyItem, runnerFor, runTurn, testSettings, textOf } from './provider-harness.js';

const poisoned = 'fake:fault=500';

const providers = [
  {
    name: 'openai',
    start: startFakeOpenAiServer,
    settings: (baseUrl: string) => ({ LLM_PROVIDER: 'openai', OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-test' }),
    /** The newest user message of a request, as JSON text. */
    lastUserMessage: (request: RecordedRequest) => JSON.stringify(openAiRequestBody(request).messages.findLast((message) => message.role === 'user')?.content),
    conversation: (request: RecordedRequest): unknown[] => openAiRequestBody(request).messages.slice(1),
    expected: [
      { role: 'user', content: poisoned },
      { role: 'assistant', content: noAnswerNotes.error },
      { role: 'user', content: 'hello' },
    ],
  },
  {
    name: 'gemini',
    start: startFakeGeminiServer,
    settings: (baseUrl: string) => ({ LLM_PROVIDER: 'gemini', GEMINI_BASE_URL: baseUrl, GEMINI_API_KEY: 'gemini-test-key', GEMINI_MODEL: 'gemini-3.5-flash' }),
    lastUserMessage: (request: RecordedRequest) => JSON.stringify(geminiRequestBody(request).contents.at(-1)?.parts),
    conversation: (request: RecordedRequest): unknown[] => geminiRequestBody(request).contents,
    expected: [
      { role: 'user', parts: [{ text: poisoned }] },
      { role: 'model', parts: [{ text: noAnswerNotes.error }] },
      { role: 'user', parts: [{ text: 'hello' }] },
    ],
  },
] as const;

describe.each(providers)('a failed turn, then the next message, through $name', (provider) => {
  let server: FakeHttpServer & { baseUrl: string };
  afterEach(() => server?.stop());

  it('sends the next message upstream as its own user message, after a note that the turn failed, and answers it', async () => {
    // The provider fails every request whose newest message carries the poisoned text.
    const replies: FakeProviderOptions['replies'] = (request): FakeReply =>
      provider.lastUserMessage(request).includes(poisoned) ? { kind: 'error', status: 500 } : { kind: 'text', text: 'Hello!' };
    server = await provider.start({ replies });
    const runner = runnerFor(testSettings({ ...provider.settings(server.baseUrl), LLM_MAX_RETRIES: '0' }));

    const failed = await runTurn(runner, [historyItem.user(poisoned)]);
    expect(failed.error?.code).toBe('llm_error');

    // What the session stores for that turn: the user message, then an empty answer marked as failed.
    const history = [historyItem.user(poisoned), historyItem.assistant('', 'error'), historyItem.user('hello')];
    const next = await runTurn(runner, history);

    expect(next.error).toBeUndefined();
    expect(textOf(next.events)).toBe('Hello!');
    expect(server.requests).toHaveLength(2);
    expect(provider.conversation(server.requests[1]!)).toStrictEqual(provider.expected);
  });
});
