import type { ChainableCommander, Redis } from 'ioredis';

/**
 * Commands queued during one event-loop turn go to Redis as one pipeline: one socket write
 * for all the frames every session mirrors in that turn, instead of one per frame (a write per
 * frame cost a third of a mirroring instance's CPU; docs/benchmarks.md, several instances).
 * `flush` sends what is queued at once, for a command that must follow it in order.
 */
export class RedisBatch {
  #pipeline: ChainableCommander | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly onError: (error: unknown) => void,
    /** Adds what was gathered for this turn as whole commands, just before they go. */
    private readonly beforeFlush: (commands: ChainableCommander) => void = () => undefined,
  ) {}

  get commands(): ChainableCommander {
    if (this.#pipeline === null) {
      this.#pipeline = this.redis.pipeline();
      setImmediate(this.flush);
    }
    return this.#pipeline;
  }

  readonly flush = (): void => {
    const pipeline = this.#pipeline;
    this.#pipeline = null;
    if (pipeline === null) return;
    this.beforeFlush(pipeline);
    pipeline.exec().catch(this.onError);
  };
}
