import type { Redis } from 'ioredis';

/**
 * Redis pub/sub for one instance: one subscriber connection, one handler per channel. The
 * connection re-subscribes by itself after Redis comes back; `onReconnect` lets followers ask
 * their owners again for what they missed meanwhile.
 */
export class ClusterBus {
  readonly #handlers = new Map<string, (message: string) => void>();

  constructor(
    private readonly subscriber: Redis,
    private readonly publisher: Redis,
    onError: (error: unknown) => void,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      // A message that cannot be read must not take the process down with it.
      try {
        this.#handlers.get(channel)?.(message);
      } catch (error) {
        onError(error);
      }
    });
    subscriber.on('error', onError);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    const known = this.#handlers.has(channel);
    this.#handlers.set(channel, handler);
    if (!known) await this.subscriber.subscribe(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    if (!this.#handlers.delete(channel)) return;
    await this.subscriber.unsubscribe(channel);
  }

  /** Never waited on by the token path; a failure is reported, and the stream repairs the gap. */
  publish(channel: string, message: string): Promise<unknown> {
    return this.publisher.publish(channel, message);
  }
}
