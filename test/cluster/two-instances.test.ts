import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { describeWithRedis } from '../support/test-redis.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';

describeWithRedis('two instances in one process, sharing PostgreSQL and Redis', () => {
  let instances: TwoInstances;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    instances = await startTwoInstances();
    ({ a, b } = instances);
  });
  afterAll(async () => {
    await instances?.close();
  });

  it('gives sockets of one session on two instances the same frames, whichever instance the message reaches', async () => {
    const onA = await TestClient.connect(a.wsUrl, 'shared-1');
    const onB = await TestClient.connect(b.wsUrl, 'shared-1');
    const frames = await onB.ask('what is 2+2?', { id: 'm1' });
    await onA.waitFor('done');
    const seen = (client: TestClient) => client.frames.filter((frame) => frame.type !== 'session');
    expect(seen(onA)).toStrictEqual(seen(onB));
    expect(frames.at(-1)).toMatchObject({ type: 'done' });
    onA.socket.close();
    onB.socket.close();
  });

  it('says in /health which instance answered and that it reaches Redis, and counts forwarded frames and fan-out lag in /metrics', async () => {
    const [healthA, healthB] = await Promise.all([a, b].map(async (server) => (await fetch(`${server.httpUrl}/health`)).json() as Promise<Record<string, unknown>>));
    expect(healthA).toMatchObject({ status: 'ok', redis: { status: 'up' } });
    expect(healthB).toMatchObject({ status: 'ok', redis: { status: 'up' } });
    expect(healthA!.instance_id).not.toBe(healthB!.instance_id);

    const counted = async (server: RunningServer, name: string) =>
      Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await fetch(`${server.httpUrl}/metrics`)).text())?.[1] ?? 0);
    const [forwardedBefore, lagBefore] = [await counted(b, 'parley_forwarded_messages_total'), await counted(b, 'parley_fanout_lag_seconds_count')];
    const onA = await TestClient.connect(a.wsUrl, 'counted');
    const onB = await TestClient.connect(b.wsUrl, 'counted');
    const frames = await onB.ask('what is 3+4?');
    await onA.waitFor('done');
    expect(await counted(b, 'parley_forwarded_messages_total')).toBe(forwardedBefore + 1);
    expect(await counted(b, 'parley_fanout_lag_seconds_count')).toBe(lagBefore + frames.length);
    expect(await counted(a, 'parley_forwarded_messages_total')).toBe(0);
    onA.socket.close();
    onB.socket.close();
  });
});
