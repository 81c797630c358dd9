import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import type { ClusterKeys } from './cluster-keys.js';

export type LeaseClaim = { mine: true; fresh: boolean } | { mine: false; owner: string };

/** Takes the lease when nobody holds it; renews it when this instance does; else names the holder. */
const claimLease = luaScript(`
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, 1}
end
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, 0}
end
return {0, current}`);

/**
 * Renews every lease this instance holds: '1' renewed, '2' taken again after Redis lost it
 * (a restart), or the id of the instance that holds it now.
 */
const renewScript = `
local out = {}
for i, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  if current == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    out[i] = '1'
  elseif not current then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
    out[i] = '2'
  else
    out[i] = current
  end
end
return out`;

const releaseLease = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

export interface LeaseTiming {
  /** A lease not renewed for this long is gone: the bound on noticing a dead instance. */
  ttlMs: number;
  renewEveryMs: number;
}

/** A dead owner is noticed within ttl + grace + two watch rounds: about 11 s, inside CONTRACT.md's 15. */
export const defaultLeaseTiming: LeaseTiming = { ttlMs: 5_000, renewEveryMs: 1_500 };

/**
 * One instance's session leases in Redis (`SET NX PX`, renewed by heartbeat). Redis rather than
 * a PostgreSQL advisory lock: a lock lives on one dedicated connection, which transaction
 * poolers such as Supabase's do not keep, and its loss is noticed only when TCP gives up; a
 * lease's loss is bounded by its TTL on any network.
 */
export class SessionLeases {
  readonly #held = new Set<string>();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
    readonly instanceId: string,
    private readonly timing: LeaseTiming,
    /** Another instance holds a lease this one thought it held (Redis was away longer than the TTL). */
    private readonly onLost: (sessionId: string, owner: string) => void,
    private readonly onRenewError: (error: unknown) => void,
  ) {}

  get heldCount(): number {
    return this.#held.size;
  }

  holds(sessionId: string): boolean {
    return this.#held.has(sessionId);
  }

  async claim(sessionId: string): Promise<LeaseClaim> {
    const [mine, detail] = (await claimLease(this.redis, [this.keys.lease(sessionId)], [this.instanceId, this.timing.ttlMs])) as [number, number | string];
    if (mine === 1) {
      this.#held.add(sessionId);
      return { mine: true, fresh: detail === 1 };
    }
    return { mine: false, owner: String(detail) };
  }

  async release(sessionId: string): Promise<void> {
    if (!this.#held.delete(sessionId)) return;
    await releaseLease(this.redis, [this.keys.lease(sessionId)], [this.instanceId]);
  }

  /** Forgets a lease without touching Redis (it was lost to another instance). */
  forget(sessionId: string): void {
    this.#held.delete(sessionId);
  }

  /** The holder of each lease, null where none. */
  async owners(sessionIds: readonly string[]): Promise<Array<string | null>> {
    if (sessionIds.length === 0) return [];
    return this.redis.mget(...sessionIds.map((id) => this.keys.lease(id)));
  }

  start(): void {
    this.#timer = setInterval(() => void this.renew(), this.timing.renewEveryMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One round trip for every lease held, and the instance's own sign of life. */
  async renew(): Promise<void> {
    const sessionIds = [...this.#held];
    try {
      const pipeline = this.redis.pipeline().set(this.keys.instanceAlive(this.instanceId), '1', 'PX', this.timing.ttlMs);
      if (sessionIds.length > 0) {
        pipeline.eval(renewScript, sessionIds.length, ...sessionIds.map((id) => this.keys.lease(id)), this.instanceId, this.timing.ttlMs);
      }
      const results = await pipeline.exec();
      const renewed = results?.[1];
      if (!renewed) return;
      if (renewed[0]) throw renewed[0];
      (renewed[1] as string[]).forEach((outcome, index) => {
        const sessionId = sessionIds[index];
        if (outcome === '1' || outcome === '2' || sessionId === undefined || !this.#held.has(sessionId)) return;
        this.#held.delete(sessionId);
        this.onLost(sessionId, outcome);
      });
    } catch (error) {
      this.onRenewError(error);
    }
  }

  /** Whether the instance still renews its sign of life. */
  async isAlive(instanceId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.instanceAlive(instanceId))) === 1;
  }
}
