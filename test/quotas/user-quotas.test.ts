import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerFrame } from '../../src/protocol/index.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { signWithSecret, userClaims } from '../auth/support/tokens.js';
import { eventually } from '../support/eventually.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

const secret = 'user-quotas-jwt-secret-of-forty-characters';
const apiToken = 'user-quotas-operator-token';
const tokenFor = (sub: string) => signWithSecret(secret, userClaims({ sub, exp: Math.floor(Date.now() / 1000) + 3_600 }));

/** Sends a message and returns what answered it: the error frame, or `done` once the turn is over. */
async function send(client: TestClient, content: string): Promise<ServerFrame> {
  const from = client.frames.length;
  client.send({ type: 'message', content });
  return eventually(() => client.frames.slice(from).find((frame) => frame.type === 'done' || (frame.type === 'error' && frame.seq === undefined)));
}

/** A raw socket with request headers (a client behind a proxy), answering each message as send() above does. */
async function framesFrom(url: string, headers: Record<string, string>) {
  const socket = new WebSocket(url, { headers });
  const frames: ServerFrame[] = [];
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as ServerFrame));
  await eventually(() => frames.some((frame) => frame.type === 'session'));
  return {
    async send(content: string): Promise<ServerFrame> {
      const from = frames.length;
      socket.send(JSON.stringify({ type: 'message', content }));
      return eventually(() => frames.slice(from).find((frame) => frame.type === 'done' || (frame.type === 'error' && frame.seq === undefined)));
    },
    close: () => socket.close(),
  };
}

/** Waits, when the clock minute is about to turn, for the next one: the rate is counted per clock minute. */
async function awayFromMinuteEdge(neededMs: number): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute + neededMs > 60_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
}

describe.each(serverDatabaseVariants)('per-user quotas on $kind', (variant) => {
  let database: ServerDatabase;
  let server: RunningServer;
  let settings: Record<string, string>;

  beforeAll(async () => {
    database = await variant.create();
    settings = {
      ...database.settings,
      AUTH_JWT_SECRET: secret,
      API_TOKEN: apiToken,
      RATE_LIMIT_MESSAGES_PER_MINUTE: '3',
      QUOTA_TOKENS_PER_DAY: '100',
    };
    server = await startServer(settings);
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  const spentToday = async (account: string) => {
    const rows = await server.app.parley.database.query<{ count: unknown }>(
      `SELECT count FROM usage_counters WHERE user_id = $1 AND kind = 'model_tokens'`,
      [account],
    );
    return Number(rows[0]?.count ?? 0);
  };

  it("counts one user's messages across their sessions, not other users' or an operator's", async () => {
    await awayFromMinuteEdge(15_000);
    // The day's token quota (100) would stop this user after one turn; emptied between
    // messages, it leaves the rate as the only limit in play.
    await server.app.parley.database.query(`DELETE FROM usage_counters`);
    const token = await tokenFor('rate-user');
    const first = await TestClient.connect(server.wsUrl, 'rate-one', { access_token: token });
    const second = await TestClient.connect(server.wsUrl, 'rate-two', { access_token: token });
    expect((await send(first, 'hi')).type).toBe('done');
    await server.app.parley.database.query(`DELETE FROM usage_counters WHERE kind = 'model_tokens'`);
    expect((await send(second, 'hi')).type).toBe('done');
    await server.app.parley.database.query(`DELETE FROM usage_counters WHERE kind = 'model_tokens'`);
    expect((await send(first, 'hi')).type).toBe('done');
    await server.app.parley.database.query(`DELETE FROM usage_counters WHERE kind = 'model_tokens'`);

    const refused = await send(second, 'one too many');
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited', recoverable: true });
    const retryAfter = (refused as { retry_after_s: number }).retry_after_s;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(second.frames.filter((frame) => frame.type === 'ack')).toHaveLength(1);

    const other = await TestClient.connect(server.wsUrl, 'rate-other', { access_token: await tokenFor('rate-other-user') });
    expect((await send(other, 'hi')).type).toBe('done');
    const operator = await TestClient.connect(server.wsUrl, 'rate-operator', { token: apiToken });
    for (let index = 0; index < 4; index += 1) expect((await send(operator, 'hi')).type).toBe('done');
    await Promise.all([first.close(), second.close(), other.close(), operator.close()]);
  });

  it("stops a user's turns once the day's model tokens are spent, in every session and after a restart", async () => {
    await awayFromMinuteEdge(5_000);
    await server.app.parley.database.query(`DELETE FROM usage_counters`);
    const token = await tokenFor('quota-user');
    const first = await TestClient.connect(server.wsUrl, 'quota-one', { access_token: token });
    const done = await send(first, 'what is 2+2?');
    expect(done.type).toBe('done');
    const used = ((done as { usage: { prompt_tokens: number; completion_tokens: number } }).usage);
    expect(used.prompt_tokens + used.completion_tokens).toBeGreaterThan(100);
    await eventually(async () => (await spentToday('quota-user')) > 100);

    const secondsToMidnight = () => Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000);
    const refused = await send(first, 'and 3+3?');
    expect(refused).toMatchObject({ type: 'error', code: 'quota_exceeded', recoverable: true });
    expect(Math.abs((refused as { retry_after_s: number }).retry_after_s - secondsToMidnight())).toBeLessThanOrEqual(2);
    await first.close();

    await server.close();
    server = await startServer(settings);
    const again = await TestClient.connect(server.wsUrl, 'quota-two', { access_token: token });
    expect(await send(again, 'hello after the restart')).toMatchObject({ type: 'error', code: 'quota_exceeded' });
    expect(again.frames.filter((frame) => frame.type === 'ack')).toStrictEqual([]);
    const other = await TestClient.connect(server.wsUrl, 'quota-other', { access_token: await tokenFor('quota-other-user') });
    expect((await send(other, 'hello')).type).toBe('done');
    await Promise.all([again.close(), other.close()]);
  });
});

describe('quotas in the open mode', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT_MESSAGES_PER_MINUTE: '1', TRUST_PROXY: 'loopback', ALLOW_OPEN_ACCESS: 'true' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts nothing for this machine, and each other client address as one account', async () => {
    await awayFromMinuteEdge(10_000);
    const local = await TestClient.connect(server.wsUrl, 'open-local-quota');
    for (let index = 0; index < 3; index += 1) expect((await send(local, 'hi')).type).toBe('done');
    await local.close();

    const remote = await framesFrom(`${server.wsUrl}/ws/session/open-remote-quota`, { 'x-forwarded-for': '203.0.113.7' });
    expect((await remote.send('hi')).type).toBe('done');
    expect(await remote.send('hi again')).toMatchObject({ type: 'error', code: 'rate_limited' });
    const neighbour = await framesFrom(`${server.wsUrl}/ws/session/open-neighbour-quota`, { 'x-forwarded-for': '203.0.113.8' });
    expect((await neighbour.send('hi')).type).toBe('done');
    remote.close();
    neighbour.close();
  });
});
