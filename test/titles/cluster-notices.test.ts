import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import type { RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { describeWithRedis } from '../support/test-redis.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';

describeWithRedis('titles and deletions reach the sockets on every instance', () => {
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

  it('tells both instances of the title the owner wrote, of a rename on the other, and of a deletion, which closes every socket', async () => {
    const onA = await TestClient.connect(a.wsUrl, 'spread');
    const onB = await TestClient.connect(b.wsUrl, 'spread');
    await onB.ask('What is 12*7? I need it for a recipe.');
    for (const client of [onA, onB]) expect((await client.waitFor('title')).title).toBe('What is 12*7?');

    expect((await b.app.inject({ method: 'PATCH', url: '/api/sessions/spread', payload: { title: 'Recipe maths' } })).statusCode).toBe(200);
    for (const client of [onA, onB]) await client.waitFor('title', (frame) => frame.title === 'Recipe maths');

    expect((await b.app.inject({ method: 'DELETE', url: '/api/sessions/spread' })).statusCode).toBe(204);
    for (const client of [onA, onB]) {
      expect(await client.closed()).toBe(1008);
      expect(client.frames.at(-1)).toMatchObject({ type: 'error', code: 'session_deleted' });
    }
    await eventually(() => a.app.parley.hub.get('spread') === undefined && b.app.parley.hub.get('spread') === undefined);
    const { redis } = instances;
    expect(await redis.client.exists(`${redis.prefix}turn:spread`)).toBe(0);
    expect(await a.app.parley.store.getSession('spread')).toBeNull();

    const again = await TestClient.connect(a.wsUrl, 'spread');
    // A new, empty session (with REDIS_URL a new session's frame says resumed: true today, as for any new id).
    expect(again.session.last_seq).toBe(0);
    expect(again.session.history ?? []).toStrictEqual([]);
    await again.close();
  });
});
