import { afterAll, afterEach, expect, it } from 'vitest';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { freePort, killServerProcesses, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TestClient } from '../support/test-client.js';
import { startDisposableRedis, type DisposableRedis } from '../support/disposable-redis.js';
import { numberedFrames } from '../support/numbered-frames.js';
import { describeWithRedis } from '../support/test-redis.js';

/**
 * Two real instances and a Redis of this file's own (started and killed here, never the
 * machine's), for what an operator does to a running cluster: drain an instance, restart Redis.
 */
const postgres = serverDatabaseVariants.find((variant) => variant.kind === 'postgres');

interface Instance {
  process: ServerProcess;
  wsUrl: string;
  httpUrl: string;
}

const redisServers = new Set<DisposableRedis>();
const cleanups: Array<() => Promise<void>> = [];

async function startRedis(port?: number): Promise<DisposableRedis> {
  const redis = await startDisposableRedis(port);
  redisServers.add(redis);
  return redis;
}

async function startInstance(environment: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const started = startServerProcess({ ...environment, PORT: String(port) });
  await started.ready;
  return { process: started, wsUrl: `ws://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${port}` };
}

async function cluster(redisUrl: string): Promise<{ a: Instance; b: Instance }> {
  if (!postgres) throw new Error('TEST_DATABASE_URL is needed');
  const database: ServerDatabase = await postgres.create();
  cleanups.push(() => database.dispose());
  const environment = {
    ...database.settings,
    REDIS_URL: redisUrl,
    FINALIZE_GRACE_MS: '60000',
    OFFLINE_TOKEN_DELAY_MS: '60',
    SHUTDOWN_TIMEOUT_MS: '15000',
  };
  const [a, b] = await Promise.all([startInstance(environment), startInstance(environment)]);
  return { a, b };
}

const lastSeq = (client: TestClient): number => Math.max(...client.frames.map((frame) => ('seq' in frame ? (frame.seq ?? 0) : 0)));

afterEach(async () => {
  killServerProcesses();
  for (const redis of redisServers) await redis.stop();
  redisServers.clear();
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describeWithRedis('operating several instances', () => {
  it('drains an instance on SIGTERM: its turn finishes, its sockets close with 1001, and they resume on another instance losing nothing', async () => {
    const { a, b } = await cluster((await startRedis()).url);
    const onA = await TestClient.connect(a.wsUrl, 'drained');
    const onB = await TestClient.connect(b.wsUrl, 'drained');
    onA.send({ type: 'message', content: 'tell me about yourself', id: 'during-drain' });
    await onA.waitFor('token');
    a.process.child.kill('SIGTERM');
    const done = await onA.waitFor('done', () => true, 0, 20_000);
    expect(done.finish_reason).toBe('stop');
    expect(await onA.closed()).toBe(1001);
    expect(await a.process.exited).toBe(0);
    await onB.waitFor('done');
    expect(numberedFrames(onB)).toStrictEqual(numberedFrames(onA));

    // The client of the drained instance comes back on the other one where it left off.
    const back = await TestClient.connect(b.wsUrl, 'drained', { after: lastSeq(onA) });
    expect(back.session.turn_in_progress).toBe(false);
    const history = back.session.history ?? [];
    expect(history.filter((item) => item.type === 'assistant_message')).toHaveLength(1);
    expect(history.find((item) => item.type === 'assistant_message')).toMatchObject({ content: TestClient.text(numberedFrames(onA)) });
    const next = await back.ask('what is 7*6?', { id: 'after-drain' });
    expect(TestClient.text(next)).toContain('42');
    await onB.waitFor('done', (frame) => frame.seq > done.seq);
    back.socket.close();
    onB.socket.close();
  }, 90_000);

  it('carries on through a Redis restart mid-turn: the owner\'s sockets see nothing, the others catch up once Redis is back', async () => {
    const firstRedis = await startRedis();
    const { a, b } = await cluster(firstRedis.url);
    const onA = await TestClient.connect(a.wsUrl, 'redis-restart');
    const onB = await TestClient.connect(b.wsUrl, 'redis-restart');
    onA.send({ type: 'message', content: 'tell me about yourself', id: 'through-restart' });
    await onB.waitFor('token');

    await firstRedis.stop();
    // While Redis is away: /health says so (503), a message sent on the follower is refused with a reason.
    const health = await fetch(`${b.httpUrl}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ redis: { status: 'down' } });
    const from = onB.frames.length;
    onB.send({ type: 'message', content: 'are you there?', id: 'during-outage' });
    const refused = await onB.waitFor('error', () => true, from);
    expect(refused).toMatchObject({ code: 'storage_unavailable', id: 'during-outage' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await startRedis(Number(new URL(firstRedis.url).port));

    const doneOnA = await onA.waitFor('done', () => true, 0, 20_000);
    expect(doneOnA.finish_reason).toBe('stop');
    const doneOnB = await onB.waitFor('done', () => true, 0, 20_000);
    expect(doneOnB).toStrictEqual(doneOnA);
    const turn = (client: TestClient) => numberedFrames(client).filter((frame) => frame.type !== 'error');
    expect(turn(onB)).toStrictEqual(turn(onA));

    // Without restarting Parley: the follower's next message runs, and both sockets see it.
    const next = await onB.ask('what is 8*8?', { id: 'after-restart' });
    expect(TestClient.text(next)).toContain('64');
    await onA.waitFor('done', (frame) => frame.seq > doneOnA.seq);
    expect((await fetch(`${b.httpUrl}/health`)).status).toBe(200);
    onA.socket.close();
    onB.socket.close();
  }, 90_000);
});
