/**
 * How many refused frames one socket may send: a burst, then a steady rate. A client with a
 * bug gets an `error` frame per mistake and stays connected; a client past its budget is not
 * making mistakes but flooding, and is closed (1008 `bad_frame`) before its error frames can
 * cost the server memory.
 */
export class BadFrameBudget {
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    now = performance.now(),
  ) {
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  /** Spends one bad frame; false once the budget is spent. */
  spend(now = performance.now()): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.perSecond);
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
