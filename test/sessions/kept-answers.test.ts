import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TurnRequest } from '../../src/llm/model-runner.js';
import type { TurnEvent } from '../../src/llm/turn-event.js';
import { historyFromEvents, type LoggedEvent } from '../../src/protocol/index.js';
import { endless, failAfterTokens, scriptedRunner } from '../support/scripted-runner.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

async function* script(signal: AbortSignal, request: TurnRequest): AsyncGenerator<TurnEvent> {
  const last = request.history.at(-1);
  const question = last?.type === 'user_message' ? last.content : '';
  if (question === 'fail') {
    yield* failAfterTokens(['Half ', 'an answer']);
    return;
  }
  if (question === 'wait') {
    yield* endless(signal);
    return;
  }
  yield { type: 'text', text: 'Whole.' };
  yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 11, completionTokens: 2 } };
}

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({}, { runner: scriptedRunner(script) });
});
afterAll(async () => {
  await server.close();
});

it('gives a reconnecting client each answer as it was seen live: finish reason, measures, error code and words', async () => {
  const client = await TestClient.connect(server.wsUrl, 'kept-answers');
  const whole = await client.ask('hello');
  const failed = await client.ask('fail');
  client.send({ type: 'message', content: 'wait' });
  await client.waitFor('token', () => true, client.frames.length);
  const from = client.frames.length;
  client.send({ type: 'cancel' });
  await client.waitFor('done', () => true, from);
  const dones = client.frames.filter((frame) => frame.type === 'done');
  await client.close();

  const again = await TestClient.connect(server.wsUrl, 'kept-answers');
  const answers = (again.session.history ?? []).filter((item) => item.type === 'assistant_message');
  expect(answers.map((answer) => [answer.status, answer.finish_reason, answer.content])).toStrictEqual([
    ['complete', 'stop', 'Whole.'],
    ['error', 'error', 'Half an answer'],
    ['cancelled', 'cancelled', expect.stringMatching(/^(more )+$/)],
  ]);
  // The same numbers the `done` frames carried.
  answers.forEach((answer, index) => {
    const done = dones[index]!;
    expect(answer.measures).toStrictEqual({
      ...(done.ttft_ms === undefined ? {} : { ttft_ms: done.ttft_ms }),
      duration_ms: done.duration_ms,
      ...(done.usage?.prompt_tokens === undefined ? {} : { prompt_tokens: done.usage.prompt_tokens }),
      ...(done.usage?.completion_tokens === undefined ? {} : { completion_tokens: done.usage.completion_tokens }),
      ...(done.usage?.estimated ? { estimated: true } : {}),
    });
  });
  const error = failed.find((frame) => frame.type === 'error');
  expect(answers[1]).toMatchObject({ error_code: 'llm_error', error_message: error?.type === 'error' ? error.message : '' });
  expect(whole.at(-1)).toMatchObject({ type: 'done', usage: { prompt_tokens: 11, completion_tokens: 2 } });

  // After a restart the session is read from the log: the same items come back.
  await server.app.parley.writer.flush();
  const response = await server.app.inject({ url: '/api/sessions/kept-answers/events' });
  const fromLog = historyFromEvents(response.json<{ events: LoggedEvent[] }>().events).filter((item) => item.type === 'assistant_message');
  expect(fromLog.map(({ created_at: _created, ...item }) => item)).toStrictEqual(answers.map(({ created_at: _created, ...item }) => item));
  await again.close();
});
