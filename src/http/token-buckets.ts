/**
 * One token bucket per key (a client address): each holds up to `capacity` tokens, refilled
 * at `capacity` per minute; taking a token from an empty bucket is refused with the seconds to
 * wait. A bucket that has filled up again is the same as none, so those are dropped.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #refillPerMs: number;

  constructor(private readonly capacity: number) {
    this.#refillPerMs = capacity / 60_000;
  }

  /** 0 when a token was taken, else whole seconds (at least 1) until one will be there. */
  take(key: string, now: number = Date.now()): number {
    const bucket = this.#buckets.get(key);
    const tokens = bucket === undefined ? this.capacity : Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.#refillPerMs);
    if (tokens < 1) {
      this.#buckets.set(key, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / this.#refillPerMs / 1000));
    }
    this.#buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.#buckets.size > 10_000) this.#dropFull(now);
    return 0;
  }

  get size(): number {
    return this.#buckets.size;
  }

  #dropFull(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * this.#refillPerMs >= this.capacity) this.#buckets.delete(key);
    }
  }
}
