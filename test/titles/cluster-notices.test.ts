import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { createTestRedis, describeWithRedis, type TestRedis } from '../support/test-redis.js';

const postgres = serverDatabaseVariants.find((variant) => variant.kind === 'postgres');

describeWithRedis('titles and deletions reach the sockets on every instance', () => {
  let redis: TestRedis;
  let database: ServerDatabase;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    if (!postgres) throw new Error('TEST_DATABASE_URL is needed');
    redis = await createTestRedis();
    database = await postgres.create();
    const settings = { ...database.settings, REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix, FINALIZE_GRACE_MS: '60000' };
    a = await startServer(settings);
    b = await startServer(settings);
  });
  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
    await database?.dispose();
    await redis?.dispose();
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
    expect(await redis.client.exists(`${redis.prefix}turn:spread`)).toBe(0);
    expect(await a.app.parley.store.getSession('spread')).toBeNull();

    const again = await TestClient.connect(a.wsUrl, 'spread');
    // A new, empty session (with REDIS_URL a new session's frame says resumed: true today, as for any new id).
    expect(again.session.last_seq).toBe(0);
    expect(again.session.history ?? []).toStrictEqual([]);
    await again.close();
  });
});
