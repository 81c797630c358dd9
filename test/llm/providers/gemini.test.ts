import { afterEach, expect, it } from 'vitest';
import { noAnswerNotes } from '../../../src/llm/history-to-prompt.js';
import { systemPrompt } from '../../../src/llm/model-runner.js';
import { geminiRequestBody, startFakeGeminiServer, type FakeGeminiServer } from '../../fakes/fake-gemini-server.js';
import type { FakeProviderOptions, FakeReply } from '../../fakes/fake-reply.js';
import type { TurnEvent } from '../../../src/llm/turn-event.js';
import { historyItem, lookupFailure, runnerFor, runTurn, testSettings, testTools, textOf, withoutDurations } from './provider-harness.js';

let server: FakeGeminiServer;
afterEach(() => server?.stop());

async function runnerOn(options: FakeProviderOptions, overrides: Record<string, string> = {}, tools = testTools()) {
  server = await startFakeGeminiServer(options);
  const settings = testSettings({ GEMINI_BASE_URL: server.baseUrl, GEMINI_API_KEY: 'gemini-test-key', ...overrides });
  return runnerFor(settings, tools);
}

const systemInstruction = { parts: [{ text: systemPrompt }] };
const unsigned = 'skip_thought_signature_validator';

it('streams a recorded text answer from the default model with its usage', async () => {
  const runner = await runnerOn({ replies: [{ kind: 'fixture', file: 'gemini-text-with-usage.sse' }] });
  expect(runner.describe()).toStrictEqual({ provider: 'gemini', model: 'gemini-3.5-flash' });
  const outcome = await runTurn(runner, [historyItem.user('What is 19 + 23?')]);
  expect(outcome).toStrictEqual({
    events: [
      { type: 'text', text: '19 plus 23' },
      { type: 'text', text: ' is 42.' },
      { type: 'finish', finishReason: 'stop', usage: { promptTokens: 57, completionTokens: 8 } },
    ],
  });
  const [request] = server.requests;
  expect(request?.url).toBe('/v1beta/models/gemini-3.5-flash:streamGenerateContent?alt=sse');
  expect(request?.headers['x-goog-api-key']).toBe('gemini-test-key');
  expect(geminiRequestBody(request)).toMatchObject({ systemInstruction, contents: [{ role: 'user', parts: [{ text: 'What is 19 + 23?' }] }] });
  // toMatchObject: each declaration as a subset, the list of declarations whole.
  expect(geminiRequestBody(request).tools).toMatchObject([
    {
      functionDeclarations: [
        { name: 'add', description: 'Adds two numbers.', parameters: { type: 'object', required: ['a', 'b'] } },
        { name: 'lookup' },
        { name: 'slow' },
      ],
    },
  ]);
});

it('accepts the model id with the models/ prefix Google lists it by', async () => {
  const runner = await runnerOn({}, { GEMINI_MODEL: 'models/gemini-2.5-pro' });
  expect(runner.describe()).toStrictEqual({ provider: 'gemini', model: 'gemini-2.5-pro' });
  await runTurn(runner, [historyItem.user('Hi')]);
  expect(server.requests[0]?.url).toBe('/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
});

it('runs two tool steps, a failing tool going back to the model as a functionResponse and logged', async () => {
  const replies: FakeReply[] = [
    { kind: 'tool_calls', calls: [{ name: 'lookup', arguments: { key: 'missing' } }], usage: { promptTokens: 30, completionTokens: 5 } },
    { kind: 'tool_calls', calls: [{ name: 'add', arguments: { a: 1, b: 2 } }], usage: { promptTokens: 40, completionTokens: 6 } },
    { kind: 'text', text: 'No record; 1 + 2 is 3.', usage: { promptTokens: 50, completionTokens: 9 } },
  ];
  const tools = testTools();
  const runner = await runnerOn({ replies }, {}, tools);
  const outcome = await runTurn(runner, [historyItem.user('Look up "missing", then add 1 and 2.')]);
  const calls = outcome.events.filter((event): event is Extract<TurnEvent, { type: 'tool_call' }> => event.type === 'tool_call');
  const [first, second] = calls.map((call) => call.callId);
  expect(withoutDurations(outcome.events.filter((event) => event.type !== 'text'))).toStrictEqual([
    { type: 'tool_call', callId: first, name: 'lookup', arguments: { key: 'missing' } },
    { type: 'tool_result', callId: first, name: 'lookup', error: 'lookup failed: no record "missing"', durationMs: 0 },
    { type: 'tool_call', callId: second, name: 'add', arguments: { a: 1, b: 2 } },
    { type: 'tool_result', callId: second, name: 'add', result: { sum: 3 }, durationMs: 0 },
    { type: 'finish', finishReason: 'stop', usage: { promptTokens: 30 + 40 + 50, completionTokens: 5 + 6 + 9 } },
  ]);
  expect(tools.logger.lines).toStrictEqual([{ level: 'warn', fields: { tool: 'lookup', err: lookupFailure }, message: 'tool failed' }]);
  expect(textOf(outcome.events)).toBe('No record; 1 + 2 is 3.');
  expect(geminiRequestBody(server.requests[2]).contents).toStrictEqual([
    { role: 'user', parts: [{ text: 'Look up "missing", then add 1 and 2.' }] },
    { role: 'model', parts: [{ functionCall: { id: first, name: 'lookup', args: { key: 'missing' } }, thoughtSignature: 'fake-signature-0-0' }] },
    { role: 'user', parts: [{ functionResponse: { id: first, name: 'lookup', response: { name: 'lookup', content: 'lookup failed: no record "missing"' } } }] },
    { role: 'model', parts: [{ functionCall: { id: second, name: 'add', args: { a: 1, b: 2 } }, thoughtSignature: 'fake-signature-1-0' }] },
    { role: 'user', parts: [{ functionResponse: { id: second, name: 'add', response: { name: 'add', content: { sum: 3 } } } }] },
  ]);
});

it('sends the whole history as contents, a cancelled turn\'s dangling call closed by an error response and a failed turn noted', async () => {
  const runner = await runnerOn({ replies: [{ kind: 'text', text: 'Sure.' }] });
  const history = [
    historyItem.user('Add 2 and 3.'),
    historyItem.toolCall('call_a', 'add', { a: 2, b: 3 }),
    historyItem.toolResult('call_a', 'add', { result: { sum: 5 } }),
    historyItem.assistant('It is 5.'),
    historyItem.user('Now wait.'),
    historyItem.toolCall('call_b', 'slow', {}),
    historyItem.assistant('Waiting', 'cancelled'),
    historyItem.user('Never mind.'),
    historyItem.assistant('', 'error'),
    historyItem.user('Are you there?'),
  ];
  const outcome = await runTurn(runner, history);
  expect(outcome.error).toBeUndefined();
  expect(geminiRequestBody(server.requests[0]).contents).toStrictEqual([
    { role: 'user', parts: [{ text: 'Add 2 and 3.' }] },
    { role: 'model', parts: [{ functionCall: { id: 'call_a', name: 'add', args: { a: 2, b: 3 } }, thoughtSignature: unsigned }] },
    { role: 'user', parts: [{ functionResponse: { id: 'call_a', name: 'add', response: { name: 'add', content: { sum: 5 } } } }] },
    { role: 'model', parts: [{ text: 'It is 5.' }] },
    { role: 'user', parts: [{ text: 'Now wait.' }] },
    { role: 'model', parts: [{ functionCall: { id: 'call_b', name: 'slow', args: {} }, thoughtSignature: unsigned }] },
    {
      role: 'user',
      parts: [{ functionResponse: { id: 'call_b', name: 'slow', response: { name: 'slow', content: 'The tool call was cancelled before it returned.' } } }],
    },
    { role: 'model', parts: [{ text: 'Waiting' }] },
    { role: 'user', parts: [{ text: 'Never mind.' }] },
    { role: 'model', parts: [{ text: noAnswerNotes.error }] },
    { role: 'user', parts: [{ text: 'Are you there?' }] },
  ]);
});

it('cancel mid-answer closes the HTTP request and ends the turn without an error', async () => {
  const runner = await runnerOn({ tokensPerAnswer: 200, tokenDelayMs: 20 });
  const cancel = new AbortController();
  const events: TurnEvent[] = [];
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
  const runner = await runnerOn({ replies: [{ kind: 'tool_calls', calls: [{ name: 'slow', arguments: {} }] }] }, {}, tools);
  const cancel = new AbortController();
  const turn = runTurn(runner, [historyItem.user('Take your time.')], cancel.signal);
  await tools.slowToolStarted;
  cancel.abort();
  const outcome = await turn;
  // Gemini sends no call ids: the SDK makes one up.
  expect(outcome.events).toMatchObject([{ type: 'tool_call', name: 'slow', arguments: {} }]);
  expect(outcome.error).toBeUndefined();
  expect(tools.slowToolSignals[0]?.aborted).toBe(true);
  expect(server.requests).toHaveLength(1);
});
