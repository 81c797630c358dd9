import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { describeWithRedis } from '../support/test-redis.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import { chatTransport, finalMessage, send, textOf, userMessage } from './support/chat-client.js';
import { chatScript, countingText } from './support/chat-script.js';

describeWithRedis('AI SDK chat apps across two instances (REDIS_URL)', () => {
  let instances: TwoInstances;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    instances = await startTwoInstances({ runner: chatScript });
    ({ a, b } = instances);
  });
  afterAll(async () => {
    await instances?.close();
  });

  it('runs a chat message sent to the instance that does not run the session, and resumes its stream there', async () => {
    const owner = await TestClient.connect(a.wsUrl, 'split-chat');
    const resumable = (server: RunningServer) => chatTransport(server.httpUrl, { body: { on_disconnect: 'continue' } });
    const controller = new AbortController();
    const stream = await send(resumable(b), 'split-chat', [userMessage('m1', 'count:40')], controller.signal);
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.value).toMatchObject({ type: 'start' });
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const resumed = await resumable(b).reconnectToStream({ chatId: 'split-chat' });
    expect(textOf(await finalMessage(resumed!))).toBe(countingText(40));
    expect(await owner.waitFor('done')).toMatchObject({ finish_reason: 'stop' });
    const next = await finalMessage(await send(chatTransport(b.httpUrl), 'split-chat', [userMessage('m2', 'hello')]));
    expect(textOf(next)).toBe('You said: hello');
    await owner.close();
  });
});
