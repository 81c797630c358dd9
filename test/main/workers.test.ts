import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { freePort, killServerProcesses, startServerProcess } from '../support/server-process.js';
import { TestClient } from '../support/test-client.js';
import { createTestRedis, testRedisUrl, type TestRedis } from '../support/test-redis.js';

const postgres = serverDatabaseVariants.find((variant) => variant.kind === 'postgres');
const describeWithServices = postgres && testRedisUrl ? describe : describe.skip;

/** The pids of the processes that logged 'Parley is ready', in order. */
function readyPids(output: string): number[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"Parley is ready"'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  killServerProcesses();
});

describe('WORKERS without PostgreSQL and Redis', () => {
  it('refuses to start with one line saying why, and exit code 1', async () => {
    const started = startServerProcess({ WORKERS: '2', DATA_DIR: 'memory://' });
    started.ready.catch(() => undefined);
    expect(await started.exited).toBe(1);
    expect(started.output()).toBe("WORKERS=2 needs DATABASE_URL and REDIS_URL: the processes share sessions through PostgreSQL and Redis; PGlite is one process's file.\n");
  });
});

describeWithServices('WORKERS=2 on PostgreSQL and Redis', () => {
  let database: ServerDatabase | undefined;
  let redis: TestRedis | undefined;
  afterAll(async () => {
    killServerProcesses();
    await database?.dispose();
    await redis?.dispose();
  });

  it('serves conversations from two worker processes on one port, replaces one that dies, and stops cleanly on SIGTERM', async () => {
    database = await postgres!.create();
    redis = await createTestRedis();
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}`;
    const started = startServerProcess(
      {
        PORT: String(port),
        WORKERS: '2',
        ...database.settings,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: redis.prefix,
        FINALIZE_GRACE_MS: '600000',
      },
      { readyLines: 2 },
    );
    await started.ready;
    const workers = readyPids(started.output());
    expect(new Set(workers).size).toBe(2);
    expect(workers).not.toContain(started.child.pid);

    // One socket per session; connections are handed to the workers in turn.
    const clients = await Promise.all([0, 1, 2, 3].map((index) => TestClient.connect(url, `workers-${index}`)));
    const answers = await Promise.all(clients.map((client, index) => client.ask(`what is ${index + 2}*7?`)));
    expect(answers.map((frames) => TestClient.text(frames))).toStrictEqual([
      expect.stringContaining('14'),
      expect.stringContaining('21'),
      expect.stringContaining('28'),
      expect.stringContaining('35'),
    ]);
    await Promise.all(clients.map((client) => client.close()));

    // Four sockets of one session land on both workers, and all see one conversation.
    const instanceIds = [...started.output().matchAll(/"instanceId":"([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(instanceIds).size).toBe(2);
    const shared = await Promise.all([0, 1, 2, 3].map(() => TestClient.connect(url, 'workers-shared')));
    const asked = await shared[0]!.ask('what is 12*12?');
    expect(TestClient.text(asked)).toContain('144');
    const turn = (client: TestClient) => client.frames.filter((frame) => frame.type !== 'session');
    for (const client of shared.slice(1)) {
      await client.waitFor('done');
      expect(turn(client)).toStrictEqual(turn(shared[0]!));
    }
    const last = Math.max(...turn(shared[0]!).map((frame) => ('seq' in frame ? (frame.seq ?? 0) : 0)));
    const resumed = await TestClient.connect(url, 'workers-shared', { after: last });
    expect(resumed.frames.filter((frame) => frame.type !== 'session')).toStrictEqual([]);
    await Promise.all([...shared, resumed].map((client) => client.close()));

    process.kill(workers[0]!, 'SIGKILL');
    const replacement = await eventually(() => readyPids(started.output())[2], 30_000);
    expect([...workers, started.child.pid]).not.toContain(replacement);
    const serving = [workers[1]!, replacement];

    const client = await TestClient.connect(url, 'workers-after-restart');
    expect(TestClient.text(await client.ask('what is 9*9?'))).toContain('81');
    started.child.kill('SIGTERM');
    expect(await client.closed()).toBe(1001);
    expect(await started.exited).toBe(0);
    expect(serving.filter(isRunning)).toStrictEqual([]);
    expect(started.output()).toMatch(/"msg":"worker exited unexpectedly; starting another"/);
  }, 120_000);

  it('gives up with exit code 1 when the workers keep failing at start', async () => {
    const unknownDatabase = new URL(process.env.TEST_DATABASE_URL!);
    unknownDatabase.pathname = `/parley_missing_${randomBytes(4).toString('hex')}`;
    const started = startServerProcess({ PORT: String(await freePort()), WORKERS: '2', DATABASE_URL: unknownDatabase.toString(), REDIS_URL: testRedisUrl! });
    started.ready.catch(() => undefined);
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/"msg":"workers keep exiting soon after they start; giving up"/);
    expect(started.output().match(/Parley could not start: database "parley_missing_\w+" does not exist/g)?.length).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
