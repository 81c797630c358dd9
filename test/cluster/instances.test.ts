import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServerFrame } from '../../src/protocol/index.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { freePort, killServerProcesses, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TestClient } from '../support/test-client.js';
import { numberedFrames } from '../support/numbered-frames.js';
import { createTestRedis, describeWithRedis, type TestRedis } from '../support/test-redis.js';

/**
 * Three real Parley processes on ephemeral ports sharing one PostgreSQL schema and one Redis
 * prefix, as behind a load balancer without sticky sessions.
 */
const postgres = serverDatabaseVariants.find((variant) => variant.kind === 'postgres');

interface Instance {
  process: ServerProcess;
  port: number;
  wsUrl: string;
  httpUrl: string;
}

const seqOf = (frame: ServerFrame): number => ('seq' in frame ? (frame.seq ?? -1) : -1);

async function startInstance(environment: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const started = startServerProcess({ ...environment, PORT: String(port) });
  await started.ready;
  return { process: started, port, wsUrl: `ws://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${port}` };
}

/** Retries an assertion until it holds (state spread over processes has no single event to await). */
async function until(assertion: () => unknown, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function metric(instance: Instance, name: string): Promise<number> {
  const text = await (await fetch(`${instance.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

describeWithRedis('three instances sharing PostgreSQL and Redis', () => {
  let redis: TestRedis;
  let database: ServerDatabase;
  let environment: Record<string, string>;
  let instances: Instance[];

  beforeAll(async () => {
    if (!postgres) throw new Error('TEST_DATABASE_URL is needed');
    redis = await createTestRedis();
    database = await postgres.create();
    environment = {
      ...database.settings,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      FINALIZE_GRACE_MS: '300',
      // About 70 words at 60 ms a word: an answer of about 4 s.
      OFFLINE_TOKEN_DELAY_MS: '60',
      SHUTDOWN_TIMEOUT_MS: '15000',
    };
    instances = await Promise.all([startInstance(environment), startInstance(environment), startInstance(environment)]);
  }, 120_000);
  afterAll(async () => {
    killServerProcesses();
    await database?.dispose();
    await redis?.dispose();
  });

  it('gives the sockets of one session on every instance the same frames in seq order', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const onA = await TestClient.connect(a.wsUrl, 'same-frames');
    const onB = await TestClient.connect(b.wsUrl, 'same-frames');
    const onC = await TestClient.connect(c.wsUrl, 'same-frames');
    await onB.ask('tell me about yourself', { id: 'q-1' });
    await onC.ask('what is 6*7?', { id: 'q-2' });
    const bothAnswered = (client: TestClient) => expect(client.frames.filter((frame) => frame.type === 'done')).toHaveLength(2);
    await until(() => [onA, onB, onC].forEach(bothAnswered));
    expect(numberedFrames(onA)).toStrictEqual(numberedFrames(onB));
    expect(numberedFrames(onC)).toStrictEqual(numberedFrames(onB));
    const numbers = numberedFrames(onB).map(seqOf);
    expect(numbers).toStrictEqual([...numbers].sort((x, y) => x - y));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(TestClient.text(numberedFrames(onA))).toContain('42');
    const titles = await Promise.all([onA, onB, onC].map((client) => client.waitFor('title')));
    expect(new Set(titles.map((frame) => frame.title))).toStrictEqual(new Set(['Tell me about yourself']));
    expect(await metric(a, 'parley_forwarded_messages_total')).toBe(0);
    expect((await metric(b, 'parley_forwarded_messages_total')) + (await metric(c, 'parley_forwarded_messages_total'))).toBe(2);
    for (const client of [onA, onB, onC]) client.socket.close();
  }, 60_000);

  it('runs one turn when two instances get a message for the session at the same moment', async () => {
    const [a, b] = instances as [Instance, Instance, Instance];
    const onA = await TestClient.connect(a.wsUrl, 'one-turn');
    const onB = await TestClient.connect(b.wsUrl, 'one-turn');
    onA.send({ type: 'message', content: 'what is 1+1?', id: 'from-a' });
    onB.send({ type: 'message', content: 'what is 2+2?', id: 'from-b' });
    const answers = await Promise.all([
      onA.waitFor('ack', (frame) => frame.id === 'from-a').then(() => 'ack', () => 'none'),
      onB.waitFor('ack', (frame) => frame.id === 'from-b').then(() => 'ack', () => 'none'),
    ].map((answer) => Promise.race([answer, new Promise((resolve) => setTimeout(() => resolve('none'), 3_000))])));
    await onA.waitFor('done');
    const acks = numberedFrames(onA).filter((frame) => frame.type === 'ack');
    expect(acks).toHaveLength(1);
    const errors = [...onA.frames, ...onB.frames].filter((frame) => frame.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'turn_in_progress' });
    expect(answers.filter((answer) => answer === 'ack')).toHaveLength(1);
    // The same id on another instance again: acked as a duplicate, not run.
    const winner = acks[0] as Extract<ServerFrame, { type: 'ack' }>;
    const from = onB.frames.length;
    onB.send({ type: 'message', content: 'again', id: winner.id });
    expect(await onB.waitFor('ack', () => true, from)).toMatchObject({ id: winner.id, duplicate: true, seq: winner.seq });
    onA.socket.close();
    onB.socket.close();
  }, 60_000);

  it('replays the turn in progress to a socket that joins another instance mid-turn with after', async () => {
    const [a, , c] = instances as [Instance, Instance, Instance];
    const onA = await TestClient.connect(a.wsUrl, 'join-mid-turn');
    onA.send({ type: 'message', content: 'tell me about yourself', id: 'long' });
    const ack = await onA.waitFor('ack');
    const tokens: ServerFrame[] = [];
    for (let index = 0; index < 5; index += 1) tokens.push(await onA.waitFor('token', (frame) => frame.seq > (tokens.at(-1) ? seqOf(tokens.at(-1)!) : 0)));
    const after = seqOf(tokens[2]!);
    const lateOnC = await TestClient.connect(c.wsUrl, 'join-mid-turn', { after });
    expect(lateOnC.session.turn_in_progress).toBe(true);
    await onA.waitFor('done');
    await lateOnC.waitFor('done');
    const full = numberedFrames(onA);
    expect(numberedFrames(lateOnC)).toStrictEqual(full.filter((frame) => seqOf(frame) > after));
    expect(seqOf(full[0]!)).toBe(ack.seq);
    onA.socket.close();
    lateOnC.socket.close();
  }, 60_000);

  it('moves a session to where its sockets are once the owner\'s last socket has left', async () => {
    const [a, b] = instances as [Instance, Instance, Instance];
    const onA = await TestClient.connect(a.wsUrl, 'moves');
    const onB = await TestClient.connect(b.wsUrl, 'moves');
    await onB.ask('what is 2+5?', { id: 'before-move' });
    const forwardedBefore = await metric(b, 'parley_forwarded_messages_total');
    onA.socket.close();
    await until(async () => expect(await (await fetch(`${b.httpUrl}/health`)).json()).toMatchObject({ sessions: { followed: 0 } }));
    const next = await onB.ask('what is 3+5?', { id: 'after-move' });
    expect(TestClient.text(next)).toContain('8');
    expect(await metric(b, 'parley_forwarded_messages_total')).toBe(forwardedBefore);
    // One conversation throughout: numbering went on, and the repeated id is still known.
    const seqs = numberedFrames(onB).map(seqOf);
    expect(seqs).toStrictEqual([...seqs].sort((x, y) => x - y));
    const from = onB.frames.length;
    onB.send({ type: 'message', content: 'again', id: 'before-move' });
    expect(await onB.waitFor('ack', () => true, from)).toMatchObject({ duplicate: true });
    onB.socket.close();
  }, 60_000);

  it('leaves the sessions another instance serves alone when an instance starts', async () => {
    const [a] = instances as [Instance, Instance, Instance];
    const onA = await TestClient.connect(a.wsUrl, 'served-elsewhere');
    await onA.ask('what is 3+3?');
    const fourth = await startInstance(environment);
    const row = (await (await fetch(`${fourth.httpUrl}/api/sessions/served-elsewhere`)).json()) as { is_active: boolean };
    expect(row.is_active).toBe(true);
    const next = await onA.ask('what is 4+4?');
    expect(TestClient.text(next)).toContain('8');
    fourth.process.child.kill('SIGTERM');
    expect(await fourth.process.exited).toBe(0);
    onA.socket.close();
  }, 60_000);

  it('after kill -9 of the owner mid-turn, ends the turn as interrupted on the other instances and goes on there', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const sessionId = 'owner-dies';
    const onA = await TestClient.connect(a.wsUrl, sessionId);
    const onB = await TestClient.connect(b.wsUrl, sessionId);
    const onC = await TestClient.connect(c.wsUrl, sessionId);
    expect(onA.session.turn_in_progress).toBe(false);
    onB.send({ type: 'message', content: 'tell me about yourself', id: 'cut' });
    const ack = await onB.waitFor('ack');
    await onC.waitFor('token');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    a.process.child.kill('SIGKILL');
    await a.process.exited;
    const killedAt = Date.now();
    const doneOnB = await onB.waitFor('done', () => true, 0, 15_000);
    const doneOnC = await onC.waitFor('done', () => true, 0, 15_000);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect(doneOnB).toMatchObject({ finish_reason: 'interrupted' });
    expect(doneOnC).toStrictEqual(doneOnB);
    expect(numberedFrames(onC)).toStrictEqual(numberedFrames(onB));
    const seenText = TestClient.text(numberedFrames(onB));

    // The next message works on a surviving instance; the cut answer is in the history.
    const next = await onC.ask('what is 5+5?', { id: 'after-crash' });
    expect(TestClient.text(next)).toContain('10');
    const resumed = await TestClient.connect(b.wsUrl, sessionId, { after: 0 });
    const history = (resumed.session.history ?? []).filter((item) => item.type === 'user_message' || item.type === 'assistant_message');
    expect(history.map((item) => item.type)).toStrictEqual(['user_message', 'assistant_message', 'user_message', 'assistant_message']);
    expect(history[0]).toMatchObject({ id: 'cut', seq: ack.seq });
    expect(history[1]).toMatchObject({ status: 'interrupted' });
    expect(seenText.startsWith((history[1] as { content: string }).content)).toBe(true);
    expect((history[1] as { content: string }).content.length).toBeGreaterThan(0);

    // Finalized exactly once, by one of the survivors, once every socket has gone.
    const finalizedBefore = (await metric(b, 'parley_sessions_finalized_total')) + (await metric(c, 'parley_sessions_finalized_total'));
    for (const client of [onB, onC, resumed]) client.socket.close();
    await until(async () => {
      const row = (await (await fetch(`${b.httpUrl}/api/sessions/${sessionId}`)).json()) as { is_active: boolean };
      expect(row.is_active).toBe(false);
    }, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const finalizedAfter = (await metric(b, 'parley_sessions_finalized_total')) + (await metric(c, 'parley_sessions_finalized_total'));
    expect(finalizedAfter - finalizedBefore).toBe(1);
    expect((await metric(b, 'parley_lease_takeovers_total')) + (await metric(c, 'parley_lease_takeovers_total'))).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
