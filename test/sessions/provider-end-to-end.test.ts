import { afterEach, describe, expect, it } from 'vitest';
import { geminiRequestBody, startFakeGeminiServer } from '../fakes/fake-gemini-server.js';
import { openAiRequestBody, startFakeOpenAiServer } from '../fakes/fake-openai-server.js';
import type { FakeHttpServer, RecordedRequest } from '../fakes/fake-http-server.js';
import type { FakeReply } from '../fakes/fake-reply.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

/**
 * The whole path a user takes: a WebSocket client, Parley, the real provider SDK, HTTP to a
 * local server speaking the provider's wire format, the real calculator, and back.
 */
const toolTurn: FakeReply[] = [
  { kind: 'tool_calls', calls: [{ id: 'call_1', name: 'calculator', arguments: { expression: '12*(3+4)' } }], usage: { promptTokens: 40, completionTokens: 8 } },
  { kind: 'text', tokens: ['The ', 'answer ', 'is ', '84.'], usage: { promptTokens: 60, completionTokens: 4 } },
  { kind: 'text', tokens: ['You ', 'asked ', 'about ', '12*(3+4).'] },
];

const providers = [
  {
    name: 'openai',
    start: () => startFakeOpenAiServer({ replies: toolTurn }),
    settings: (fake: FakeHttpServer) => ({ OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-test' }),
    model: { provider: 'openai', model: 'gpt-test' },
    sentToolResult: (request: RecordedRequest | undefined) => {
      const messages = JSON.stringify(openAiRequestBody(request).messages);
      return messages.includes('"role":"tool"') && messages.includes('84');
    },
  },
  {
    name: 'gemini',
    start: () => startFakeGeminiServer({ replies: toolTurn }),
    settings: (fake: FakeHttpServer) => ({ GEMINI_API_KEY: 'g-test', GEMINI_BASE_URL: `${fake.url}/v1beta`, GEMINI_MODEL: 'models/gemini-test' }),
    model: { provider: 'gemini', model: 'gemini-test' },
    sentToolResult: (request: RecordedRequest | undefined) => {
      const contents = JSON.stringify(geminiRequestBody(request).contents);
      return contents.includes('functionResponse') && contents.includes('84');
    },
  },
] as const;

describe.each(providers)('through $name', (provider) => {
  let fake: FakeHttpServer | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    await fake?.stop();
  });

  it('streams a tool-using answer to the socket, stores it with usage, and sends the history next turn', async () => {
    fake = await provider.start();
    server = await startServer(provider.settings(fake));
    const client = await TestClient.connect(server.wsUrl, `e2e-${provider.name}`);
    expect(client.session.model).toStrictEqual({ ...provider.model, id: `${provider.model.provider}:${provider.model.model}` });

    const frames = await client.ask('what is 12*(3+4)?');
    // Tokens that arrive in one read may be merged into fewer frames; the text is whole.
    const kinds = [...new Set(frames.map((frame) => frame.type))];
    expect(kinds).toStrictEqual(['ack', 'tool_call', 'tool_result', 'token', 'done']);
    expect(frames[1]).toMatchObject({ name: 'calculator', arguments: { expression: '12*(3+4)' } });
    expect(frames[2]).toMatchObject({ name: 'calculator', result: { result: 84 } });
    expect(TestClient.text(frames)).toBe('The answer is 84.');
    expect(frames.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop', usage: { prompt_tokens: 100, completion_tokens: 12 } });
    expect(provider.sentToolResult(fake.requests[1])).toBe(true);

    await client.ask('what did I ask?');
    const third = JSON.stringify(fake.requests[2]!.body);
    expect(third).toContain('what is 12*(3+4)?');
    expect(third).toContain('The answer is 84.');

    const events = await server.app.parley.store.loadEvents(`e2e-${provider.name}`);
    const assistant = events.find((event) => event.event_type === 'assistant_message');
    expect(assistant?.metadata).toMatchObject({ status: 'complete', prompt_tokens: 100, completion_tokens: 12, usage_estimated: false, model: provider.model.model });
    expect((await server.app.inject({ url: '/health' })).json<{ model: unknown }>().model).toStrictEqual(provider.model);
    await client.close();
  });
});
