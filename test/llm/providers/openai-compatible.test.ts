import { afterEach, expect, it } from 'vitest';
import { noAnswerNotes } from '../../../src/llm/history-to-prompt.js';
import { systemPrompt } from '../../../src/llm/model-runner.js';
import { openAiRequestBody, startFakeOpenAiServer, type FakeOpenAiServer } from '../../fakes/fake-openai-server.js';
import type { FakeProviderOptions, FakeReply } from '../../fakes/fake-reply.js';
import { historyItem, lookupFailure, runnerFor, runTurn, testSettings, testTools, textOf, withoutDurations } from './provider-harness.js';

let server: FakeOpenAiServer;
afterEach(() => server?.stop());

async function runnerOn(options: FakeProviderOptions, overrides: Record<string, string> = {}, tools = testTools()) {
  server = await startFakeOpenAiServer(options);
  const settings = testSettings({ OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-test', ...overrides });
  return runnerFor(settings, tools);
}

const system = { role: 'system', content: systemPrompt };

it('streams a text answer with the usage the server reported', async () => {
  const runner = await runnerOn({ replies: [{ kind: 'text', tokens: ['Hello', ', ', 'world.'], usage: { promptTokens: 12, completionTokens: 3 } }] });
  const outcome = await runTurn(runner, [historyItem.user('Say hello.')]);
  expect(outcome).toStrictEqual({
    events: [
      { type: 'text', text: 'Hello' },
      { type: 'text', text: ', ' },
      { type: 'text', text: 'world.' },
      { type: 'finish', finishReason: 'stop', usage: { promptTokens: 12, completionTokens: 3 } },
    ],
  });
  const [request] = server.requests;
  expect(request?.url).toBe('/v1/chat/completions');
  expect(request?.headers.authorization).toBe('Bearer sk-test');
  expect(openAiRequestBody(request)).toMatchObject({
    model: 'gpt-test',
    stream: true,
    stream_options: { include_usage: true },
    messages: [system, { role: 'user', content: 'Say hello.' }],
  });
  const tools = openAiRequestBody(request).tools ?? [];
  expect(tools.map((tool) => (tool.type === 'function' ? tool.function.name : tool.custom.name))).toStrictEqual(['add', 'lookup', 'slow']);
  expect(tools[0]).toMatchObject({
    type: 'function',
    function: { name: 'add', description: 'Adds two numbers.', parameters: { type: 'object', required: ['a', 'b'] } },
  });
});

it('sends no Authorization header to a local server configured without a key', async () => {
  server = await startFakeOpenAiServer({});
  const runner = runnerFor(testSettings({ OPENAI_BASE_URL: server.baseUrl, OPENAI_MODEL: 'llama3.2' }));
  expect(runner.describe()).toStrictEqual({ provider: 'openai', model: 'llama3.2' });
  const outcome = await runTurn(runner, [historyItem.user('Hi')]);
  expect(textOf(outcome.events)).toBe('token0 token1 token2 token3 token4 ');
  expect(server.requests[0]?.headers.authorization).toBeUndefined();
});

it('runs a tool whose call arrives split over several chunks and sends its result back', async () => {
  const runner = await runnerOn({
    replies: [{ kind: 'fixture', file: 'openai-tool-call-then-usage.sse' }, { kind: 'text', text: 'It is 42.', usage: { promptTokens: 120, completionTokens: 4 } }],
  });
  const outcome = await runTurn(runner, [historyItem.user('What is 19 + 23?')]);
  expect(outcome.error).toBeUndefined();
  expect(withoutDurations(outcome.events)).toStrictEqual([
    { type: 'tool_call', callId: 'call_3J5QbGLMIVUwvPh8P2VpLMgp', name: 'add', arguments: { a: 19, b: 23 } },
    { type: 'tool_result', callId: 'call_3J5QbGLMIVUwvPh8P2VpLMgp', name: 'add', result: { sum: 42 }, durationMs: 0 },
    { type: 'text', text: 'It ' },
    { type: 'text', text: 'is ' },
    { type: 'text', text: '42.' },
    { type: 'finish', finishReason: 'stop', usage: { promptTokens: 92 + 120, completionTokens: 18 + 4 } },
  ]);
  expect(openAiRequestBody(server.requests[1]).messages).toStrictEqual([
    system,
    { role: 'user', content: 'What is 19 + 23?' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_3J5QbGLMIVUwvPh8P2VpLMgp', type: 'function', function: { name: 'add', arguments: '{"a":19,"b":23}' } }],
    },
    { role: 'tool', tool_call_id: 'call_3J5QbGLMIVUwvPh8P2VpLMgp', content: '{"sum":42}' },
  ]);
});

it('runs two tool steps, a failing tool going back to the model as its result and logged', async () => {
  const replies: FakeReply[] = [
    { kind: 'tool_calls', calls: [{ id: 'call_1', name: 'lookup', arguments: { key: 'missing' } }], usage: { promptTokens: 30, completionTokens: 5 } },
    { kind: 'tool_calls', calls: [{ id: 'call_2', name: 'add', arguments: { a: 1, b: 2 } }], usage: { promptTokens: 40, completionTokens: 6 } },
    { kind: 'text', text: 'No record; 1 + 2 is 3.', usage: { promptTokens: 50, completionTokens: 9 } },
  ];
  const tools = testTools();
  const runner = await runnerOn({ replies }, {}, tools);
  const outcome = await runTurn(runner, [historyItem.user('Look up "missing", then add 1 and 2.')]);
  expect(withoutDurations(outcome.events.filter((event) => event.type !== 'text'))).toStrictEqual([
    { type: 'tool_call', callId: 'call_1', name: 'lookup', arguments: { key: 'missing' } },
    { type: 'tool_result', callId: 'call_1', name: 'lookup', error: 'lookup failed: no record "missing"', durationMs: 0 },
    { type: 'tool_call', callId: 'call_2', name: 'add', arguments: { a: 1, b: 2 } },
    { type: 'tool_result', callId: 'call_2', name: 'add', result: { sum: 3 }, durationMs: 0 },
    { type: 'finish', finishReason: 'stop', usage: { promptTokens: 30 + 40 + 50, completionTokens: 5 + 6 + 9 } },
  ]);
  expect(tools.logger.lines).toStrictEqual([{ level: 'warn', fields: { tool: 'lookup', err: lookupFailure }, message: 'tool failed' }]);
  expect(textOf(outcome.events)).toBe('No record; 1 + 2 is 3.');
  expect(server.requests).toHaveLength(3);
  expect(openAiRequestBody(server.requests[2]).messages.slice(1)).toStrictEqual([
    { role: 'user', content: 'Look up "missing", then add 1 and 2.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"key":"missing"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: 'lookup failed: no record "missing"' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'add', arguments: '{"a":1,"b":2}' } }] },
    { role: 'tool', tool_call_id: 'call_2', content: '{"sum":3}' },
  ]);
});

it('sends the whole history in OpenAI format, a cancelled turn\'s dangling call closed by an error result and a failed turn noted', async () => {
  const runner = await runnerOn({ replies: [{ kind: 'text', text: 'Sure.' }] });
  const history = [
    historyItem.user('Add 2 and 3.'),
    historyItem.toolCall('call_a', 'add', { a: 2, b: 3 }),
    historyItem.toolResult('call_a', 'add', { result: { sum: 5 } }),
    historyItem.assistant('It is 5.'),
    historyItem.user('Now wait.'),
    historyItem.toolCall('call_b', 'slow', {}),
    historyItem.assistant('', 'cancelled'),
    historyItem.user('Never mind.'),
    historyItem.assistant('', 'error'),
    historyItem.user('Are you there?'),
  ];
  const outcome = await runTurn(runner, history);
  expect(outcome.error).toBeUndefined();
  expect(openAiRequestBody(server.requests[0]).messages.slice(1)).toStrictEqual([
    { role: 'user', content: 'Add 2 and 3.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } }] },
    { role: 'tool', tool_call_id: 'call_a', content: '{"sum":5}' },
    { role: 'assistant', content: 'It is 5.' },
    { role: 'user', content: 'Now wait.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_b', type: 'function', function: { name: 'slow', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'call_b', content: 'The tool call was cancelled before it returned.' },
    { role: 'user', content: 'Never mind.' },
    { role: 'assistant', content: noAnswerNotes.error },
    { role: 'user', content: 'Are you there?' },
  ]);
});

it('cancel mid-answer closes the HTTP request and ends the turn without an error', async () => {
  const runner = await runnerOn({ tokensPerAnswer: 200, tokenDelayMs: 20 });
  const cancel = new AbortController();
  const events = [];
  for await (const event of runner.runTurn({ history: [historyItem.user('Tell me a long story.')], signal: cancel.signal })) {
    events.push(event);
    if (events.length === 2) cancel.abort();
  }
  expect(events).toStrictEqual([
    { type: 'text', text: 'token0 ' },
    { type: 'text', text: 'token1 ' },
  ]);
  const request = await server.waitForClientAbort(0);
  expect(request.completed).toBe(false);
});

it('cancel while a tool runs aborts the tool', async () => {
  const tools = testTools();
  const runner = await runnerOn({ replies: [{ kind: 'tool_calls', calls: [{ id: 'call_s', name: 'slow', arguments: {} }] }] }, {}, tools);
  const cancel = new AbortController();
  const turn = runTurn(runner, [historyItem.user('Take your time.')], cancel.signal);
  await tools.slowToolStarted;
  cancel.abort();
  const outcome = await turn;
  expect(outcome.events[0]).toStrictEqual({ type: 'tool_call', callId: 'call_s', name: 'slow', arguments: {} });
  expect(outcome.error).toBeUndefined();
  expect(tools.slowToolSignals[0]?.aborted).toBe(true);
  expect(server.requests).toHaveLength(1);
});

it('cancel before the first token closes the request and neither retries nor reports an error', async () => {
  const runner = await runnerOn({ firstTokenDelayMs: 10_000 });
  const cancel = new AbortController();
  const turn = runTurn(runner, [historyItem.user('Hello?')], cancel.signal);
  await server.waitForRequest(0);
  cancel.abort();
  expect(await turn).toStrictEqual({ events: [] });
  await server.waitForClientAbort(0);
  expect(server.requests).toHaveLength(1);
});
