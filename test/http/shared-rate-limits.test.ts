import fastifyRateLimit from '@fastify/rate-limit';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createConnectionRateLimit } from '../../src/http/connection-rate-limit.js';
import { httpRateLimitOptions } from '../../src/http/http-rate-limit-options.js';
import { registerProblemHandlers } from '../../src/http/problem-handlers.js';
import { createRedisTokenBuckets } from '../../src/http/redis-token-buckets.js';
import { redisCommandOptions } from '../../src/redis/redis-client-options.js';
import { freePort } from '../support/server-process.js';
import { createTestRedis, describeWithRedis, type TestRedis } from '../support/test-redis.js';

interface Instance {
  app: FastifyInstance;
  url: string;
  /** The instance's log lines, as JSON. */
  logs: Array<Record<string, unknown>>;
}

/** The limits as app.ts registers them, on an instance of their own with its own Redis client. */
async function startInstance(redis: Redis, prefix: string): Promise<Instance> {
  const logs: Array<Record<string, unknown>> = [];
  const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } } });
  registerProblemHandlers(app);
  await app.register(fastifyRateLimit, httpRateLimitOptions(3, { redis, prefix }));
  await app.register(fastifyWebsocket);
  app.addHook('onRequest', createConnectionRateLimit(2, createRedisTokenBuckets(redis, prefix, 2)));
  app.get('/api/ping', async () => ({ ok: true }));
  app.get('/ws', { websocket: true, config: { rateLimit: false } }, (socket) => socket.send('hello'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { app, url: `127.0.0.1:${port}`, logs };
}

/** 'hello' when the upgrade was served, else the status that refused it. */
function upgrade(url: string): Promise<string | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${url}/ws`);
    socket.once('message', (data: Buffer) => {
      socket.close();
      resolve(data.toString('utf8'));
    });
    socket.on('unexpected-response', (_request, response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

async function call(instance: Instance): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null }> {
  const response = await fetch(`http://${instance.url}/api/ping`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, retryAfter: response.headers.get('retry-after') };
}

async function instanceClient(url: string): Promise<Redis> {
  const client = new Redis(url, redisCommandOptions);
  client.on('error', () => {});
  await client.connect().catch(() => undefined);
  return client;
}

describeWithRedis('rate limits shared by two instances through Redis', () => {
  let redis: TestRedis;
  let clients: Redis[];
  let instances: Instance[];

  beforeEach(async () => {
    redis = await createTestRedis();
    clients = [await instanceClient(redis.url), await instanceClient(redis.url)];
    instances = await Promise.all(clients.map((client) => startInstance(client, redis.prefix)));
  });
  afterEach(async () => {
    await Promise.all(instances.map((instance) => instance.app.close()));
    for (const client of clients) client.disconnect();
    await redis.dispose();
  });

  it('refuses the 4th API call of a 3-a-minute limit with rate_limited, whichever instances the calls went to', async () => {
    const [first, second] = instances;
    const outcomes = [await call(first!), await call(second!), await call(first!), await call(second!)];
    expect(outcomes.map((outcome) => outcome.status)).toStrictEqual([200, 200, 200, 429]);
    expect(outcomes[3]!.body).toMatchObject({ code: 'rate_limited', retry_after_s: expect.any(Number) as number });
    expect(outcomes[3]!.retryAfter).not.toBeNull();
  });

  it('refuses the 3rd WebSocket upgrade of a 2-a-minute limit with 429, whichever instances they went to', async () => {
    const [first, second] = instances;
    expect([await upgrade(first!.url), await upgrade(second!.url), await upgrade(first!.url)]).toStrictEqual(['hello', 'hello', 429]);
  });
});

describeWithRedis('rate limits when Redis is down', () => {
  let client: Redis;
  let instance: Instance;

  beforeEach(async () => {
    client = await instanceClient(`redis://127.0.0.1:${await freePort()}`);
    instance = await startInstance(client, 'parley:');
  });
  afterEach(async () => {
    await instance.app.close();
    client.disconnect();
  });

  it('lets API calls and upgrades through, warning once without the address', async () => {
    const statuses = [];
    for (let index = 0; index < 5; index += 1) statuses.push((await call(instance)).status);
    expect(statuses).toStrictEqual([200, 200, 200, 200, 200]);
    const upgrades = [];
    for (let index = 0; index < 4; index += 1) upgrades.push(await upgrade(instance.url));
    expect(upgrades).toStrictEqual(['hello', 'hello', 'hello', 'hello']);
    const warnings = instance.logs.filter((line) => line.msg === 'connection rate limit unavailable; upgrades let through');
    expect(warnings).toHaveLength(1);
    // What failed, and nothing about the client or the Redis (no address, no key, no URL).
    expect(Object.keys(warnings[0]!).sort()).toStrictEqual(['hostname', 'level', 'msg', 'pid', 'reason', 'reqId', 'time']);
    expect(warnings[0]!.reason).not.toMatch(/redis:\/\/|parley:|connections:/);
  });
});
