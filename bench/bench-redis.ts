import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * The Redis the cluster scenarios share (the machine's, by default): each Parley run gets a
 * key prefix of its own, whose keys are deleted after; nothing else in it is touched.
 */
export const defaultRedisUrl = 'redis://127.0.0.1:6379';

function client(url: string): Redis {
  return new Redis(url, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
}

/** True when Redis answers PING; the benchmark then skips its cluster scenarios and says so. */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = client(url);
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export function freshKeyPrefix(): string {
  return `parley-bench-${randomBytes(4).toString('hex')}:`;
}

export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = client(url);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * The Redis server's CPU and commands so far (INFO). Its whole: other users of the same Redis
 * count too, so a difference over a load is an upper bound of what the load cost it.
 */
export async function redisUsage(url: string): Promise<{ cpuMs: number; commands: number }> {
  const redis = client(url);
  try {
    await redis.connect();
    const info = await redis.info();
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
    return { cpuMs: Math.round((field('used_cpu_sys') + field('used_cpu_user')) * 1000), commands: field('total_commands_processed') };
  } finally {
    redis.disconnect();
  }
}
