import { afterEach, expect, it } from 'vitest';
import { openAiRequestBody, startFakeOpenAiServer, type FakeOpenAiServer } from '../../fakes/fake-openai-server.js';
import { historyItem, runnerFor, runTurn, testSettings } from './provider-harness.js';

let server: FakeOpenAiServer;
afterEach(() => server?.stop());

it('sends only the newest turns that fit CONTEXT_BUDGET_TOKENS, the older ones condensed in the system prompt', async () => {
  server = await startFakeOpenAiServer();
  const runner = runnerFor(testSettings({ OPENAI_BASE_URL: server.baseUrl, CONTEXT_BUDGET_TOKENS: '600' }));
  const history = [];
  for (let turn = 1; turn <= 10; turn += 1) {
    history.push(historyItem.user(`Question ${turn}: ${'q'.repeat(400)}`), historyItem.assistant(`Answer ${turn}: ${'a'.repeat(400)}`));
  }
  history.push(historyItem.user('Latest question?'));
  const outcome = await runTurn(runner, history);
  expect(outcome.error).toBeUndefined();
  const { messages } = openAiRequestBody(server.requests[0]);
  expect(messages.at(-1)).toStrictEqual({ role: 'user', content: 'Latest question?' });
  expect(JSON.stringify(messages).length / 4).toBeLessThanOrEqual(600);
  expect(messages.filter((message) => message.role === 'user').length).toBeLessThan(11);
  expect(messages[0]?.content).toMatch(/Earlier in this conversation \(\d+ older turns, condensed/);
  expect(messages[1]?.role).toBe('user');
});
