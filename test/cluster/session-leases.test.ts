import { afterEach, beforeEach, expect, it } from 'vitest';
import { clusterKeys } from '../../src/cluster/cluster-keys.js';
import { SessionLeases } from '../../src/cluster/session-leases.js';
import { createTestRedis, describeWithRedis, type TestRedis } from '../support/test-redis.js';

describeWithRedis('session leases in Redis', () => {
  let redis: TestRedis;
  const lost: Array<[string, string]> = [];
  const leasesFor = (instanceId: string, ttlMs = 5_000) =>
    new SessionLeases(redis.client, clusterKeys(redis.prefix), instanceId, { ttlMs, renewEveryMs: ttlMs / 3 }, (sessionId, owner) => lost.push([sessionId, owner]), (error) => {
      throw error;
    });

  beforeEach(async () => {
    redis = await createTestRedis();
    lost.length = 0;
  });
  afterEach(async () => {
    await redis.dispose();
  });

  it('gives a session to one instance at a time, and names the holder to the others', async () => {
    const a = leasesFor('a');
    const b = leasesFor('b');
    const [first, second] = await Promise.all([a.claim('s1'), b.claim('s1')]);
    const claims = [first, second];
    expect(claims.filter((claim) => claim.mine)).toHaveLength(1);
    const winner = first.mine ? 'a' : 'b';
    expect(claims.find((claim) => !claim.mine)).toStrictEqual({ mine: false, owner: winner });
    expect(await (winner === 'a' ? a : b).claim('s1')).toStrictEqual({ mine: true, fresh: false });
  });

  it('frees a session at once when its holder releases it', async () => {
    const a = leasesFor('a');
    const b = leasesFor('b');
    await a.claim('s1');
    await a.release('s1');
    expect(await b.claim('s1')).toStrictEqual({ mine: true, fresh: true });
    // Releasing a lease another instance holds now changes nothing.
    await a.release('s1');
    expect(await a.claim('s1')).toStrictEqual({ mine: false, owner: 'b' });
  });

  it('lets a lease its holder stopped renewing lapse after its TTL, and keeps one that is renewed', async () => {
    const dead = leasesFor('dead', 300);
    const alive = leasesFor('alive', 300);
    await dead.claim('gone');
    await alive.claim('kept');
    alive.start();
    await new Promise((resolve) => setTimeout(resolve, 600));
    alive.stop();
    const other = leasesFor('other', 300);
    expect(await other.claim('gone')).toStrictEqual({ mine: true, fresh: true });
    expect(await other.claim('kept')).toStrictEqual({ mine: false, owner: 'alive' });
  });

  it('takes its leases again after Redis lost them, and lets go of one another instance took meanwhile', async () => {
    const a = leasesFor('a');
    await a.claim('emptied');
    await a.claim('taken');
    const keys = clusterKeys(redis.prefix);
    await redis.client.del(keys.lease('emptied'));
    await redis.client.set(keys.lease('taken'), 'b');
    await a.renew();
    expect(await redis.client.get(keys.lease('emptied'))).toBe('a');
    expect(lost).toStrictEqual([['taken', 'b']]);
    expect(a.holds('taken')).toBe(false);
    expect(await redis.client.pttl(keys.lease('emptied'))).toBeGreaterThan(4_000);
  });
});
