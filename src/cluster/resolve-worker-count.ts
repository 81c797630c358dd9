import type { Settings } from '../config.js';

export type WorkerCount = { count: number } | { refusal: string };

/**
 * How many processes serve PORT (WORKERS; `auto`: one per core), or why there cannot be
 * several: they share sessions through PostgreSQL and Redis, and PGlite is one process's file.
 */
export function resolveWorkerCount(settings: Pick<Settings, 'WORKERS' | 'DATABASE_URL' | 'REDIS_URL'>, cores: number): WorkerCount {
  const count = settings.WORKERS === 'auto' ? Math.max(1, cores) : settings.WORKERS;
  if (count === 1) return { count };
  const asked = settings.WORKERS === 'auto' ? `WORKERS=auto (${count} cores)` : `WORKERS=${count}`;
  if (!settings.DATABASE_URL && !settings.REDIS_URL) {
    return { refusal: `${asked} needs DATABASE_URL and REDIS_URL: the processes share sessions through PostgreSQL and Redis; PGlite is one process's file.` };
  }
  if (!settings.DATABASE_URL) return { refusal: `${asked} needs DATABASE_URL: the processes share sessions through PostgreSQL; PGlite is one process's file.` };
  if (!settings.REDIS_URL) return { refusal: `${asked} needs REDIS_URL: the processes share live sessions, rate limits and quotas through Redis.` };
  return { count };
}
