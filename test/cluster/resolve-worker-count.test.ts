import { describe, expect, it } from 'vitest';
import { resolveWorkerCount } from '../../src/cluster/resolve-worker-count.js';

const shared = { DATABASE_URL: 'postgres://db/parley', REDIS_URL: 'redis://cache:6379' };

describe('resolveWorkerCount', () => {
  it('runs one process by default, with or without a database server', () => {
    expect(resolveWorkerCount({ WORKERS: 1, DATABASE_URL: undefined, REDIS_URL: undefined }, 8)).toStrictEqual({ count: 1 });
    expect(resolveWorkerCount({ WORKERS: 1, ...shared }, 8)).toStrictEqual({ count: 1 });
  });

  it('runs the count asked for, or one per core for auto, when PostgreSQL and Redis are there to share', () => {
    expect(resolveWorkerCount({ WORKERS: 3, ...shared }, 8)).toStrictEqual({ count: 3 });
    expect(resolveWorkerCount({ WORKERS: 'auto', ...shared }, 8)).toStrictEqual({ count: 8 });
  });

  it('runs one process for auto on one core, needing nothing to share', () => {
    expect(resolveWorkerCount({ WORKERS: 'auto', DATABASE_URL: undefined, REDIS_URL: undefined }, 1)).toStrictEqual({ count: 1 });
  });

  it('refuses several processes without PostgreSQL and Redis, saying which is missing and why', () => {
    expect(resolveWorkerCount({ WORKERS: 2, DATABASE_URL: undefined, REDIS_URL: undefined }, 8)).toStrictEqual({
      refusal: "WORKERS=2 needs DATABASE_URL and REDIS_URL: the processes share sessions through PostgreSQL and Redis; PGlite is one process's file.",
    });
    expect(resolveWorkerCount({ WORKERS: 2, DATABASE_URL: undefined, REDIS_URL: shared.REDIS_URL }, 8)).toStrictEqual({
      refusal: "WORKERS=2 needs DATABASE_URL: the processes share sessions through PostgreSQL; PGlite is one process's file.",
    });
    expect(resolveWorkerCount({ WORKERS: 'auto', DATABASE_URL: shared.DATABASE_URL, REDIS_URL: undefined }, 4)).toStrictEqual({
      refusal: 'WORKERS=auto (4 cores) needs REDIS_URL: the processes share live sessions, rate limits and quotas through Redis.',
    });
  });
});
