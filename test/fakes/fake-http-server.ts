import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake provider received, kept for assertions. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The JSON body as parsed (undefined when it was not JSON); each fake reads it as its API's request. */
  body: unknown;
  /** The body's bytes as they came (multipart, audio). */
  rawBody: Buffer;
  /** True when the client closed the connection before the answer was complete (a cancel). */
  abortedByClient: boolean;
  /** True when the server finished writing its answer. */
  completed: boolean;
  /** True when the fake itself cut the connection mid-answer (a scripted failure). */
  brokenByServer: boolean;
}

export type RequestHandler = (
  recorded: RecordedRequest,
  response: ServerResponse,
  index: number,
  closed: AbortSignal,
) => Promise<void>;

/**
 * A plain HTTP server on 127.0.0.1, port 0, that records each request and lets a handler
 * answer it. `closed` aborts when the client goes away, so a handler that streams slowly
 * stops writing, and `abortedByClient` tells the test that a cancel reached the wire.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  readonly #events = new EventEmitter();
  readonly #server;
  #url = '';

  constructor(private readonly handler: RequestHandler) {
    this.#server = createServer((request, response) => void this.#handle(request, response));
  }

  async start(): Promise<string> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}`;
    return this.#url;
  }

  get url(): string {
    return this.#url;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Resolves with request number `index` (0-based) once it has arrived. */
  async waitForRequest(index: number): Promise<RecordedRequest> {
    while (this.requests.length <= index) await once(this.#events, 'request');
    return this.requests[index]!;
  }

  /** Resolves when request number `index` has been closed by the client before it completed. */
  async waitForClientAbort(index: number): Promise<RecordedRequest> {
    const recorded = await this.waitForRequest(index);
    while (!recorded.abortedByClient) await once(this.#events, 'abort');
    return recorded;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
      body: parseJson(rawBody.toString('utf8')),
      rawBody,
      abortedByClient: false,
      completed: false,
      brokenByServer: false,
    };
    const index = this.requests.push(recorded) - 1;
    const closed = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished && !recorded.brokenByServer) {
        recorded.abortedByClient = true;
        closed.abort();
        this.#events.emit('abort', index);
      }
    });
    this.#events.emit('request', index);
    try {
      await this.handler(recorded, response, index, closed.signal);
      recorded.completed = response.writableFinished;
    } catch {
      response.destroy();
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
