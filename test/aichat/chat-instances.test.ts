import { afterAll, beforeAll, expect, it } from 'vitest';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { createTestRedis, describeWithRedis, type TestRedis } from '../support/test-redis.js';
import { chatTransport, finalMessage, send, textOf, userMessage } from './support/chat-client.js';
import { chatScript, countingText } from './support/chat-script.js';

const postgres = serverDatabaseVariants.find((variant) => variant.kind === 'postgres');

describeWithRedis('AI SDK chat apps across two instances (REDIS_URL)', () => {
  let redis: TestRedis;
  let database: ServerDatabase;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    if (!postgres) throw new Error('TEST_DATABASE_URL is needed');
    redis = await createTestRedis();
    database = await postgres.create();
    const settings = { ...database.settings, REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix, FINALIZE_GRACE_MS: '60000' };
    a = await startServer(settings, { runner: chatScript });
    b = await startServer(settings, { runner: chatScript });
  });
  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
    await database?.dispose();
    await redis?.dispose();
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
