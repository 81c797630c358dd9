import type { ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { UIMessageChunk } from 'ai';

/** A comment line every this often while nothing else is sent, so proxies keep an idle stream open (a tool may take a while). */
const keepAliveMs = 15_000;

/**
 * The body of one UI message stream response: each chunk a `data:` event, `data: [DONE]` at
 * the end, the AI SDK's own SSE framing (its JsonToSseTransformStream). Written as Node
 * stream text rather than Web Streams: how many bytes wait for the client is then a sum of
 * three buffer lengths, which is what the session's backpressure reads.
 */
export class UiMessageEventStream {
  readonly body = new PassThrough();
  #lastWriteAt = Date.now();
  #keepAlive: NodeJS.Timeout | null = null;

  constructor(private readonly response: Pick<ServerResponse, 'writableLength'>) {}

  /** Bytes written here that the client has not taken yet. */
  get bufferedBytes(): number {
    return this.body.writableLength + this.body.readableLength + this.response.writableLength;
  }

  get closed(): boolean {
    return this.body.destroyed || this.body.writableEnded;
  }

  write(chunk: UIMessageChunk): void {
    this.#writeText(`data: ${JSON.stringify(chunk)}\n\n`);
    this.#keepAlive ??= setInterval(() => {
      if (Date.now() - this.#lastWriteAt >= keepAliveMs) this.#writeText(': keep-alive\n\n');
    }, keepAliveMs).unref();
  }

  end(): void {
    if (this.closed) return;
    this.#writeText('data: [DONE]\n\n');
    this.#stopKeepAlive();
    this.body.end();
  }

  /** Nothing more can or need reach the client. */
  destroy(): void {
    this.#stopKeepAlive();
    this.body.destroy();
  }

  #writeText(text: string): void {
    if (this.closed) return;
    this.#lastWriteAt = Date.now();
    this.body.write(text);
  }

  #stopKeepAlive(): void {
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    this.#keepAlive = null;
  }
}
