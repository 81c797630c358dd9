import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from './fake-http-server.js';

/**
 * What a fake provider answers to one request, in provider-neutral terms; each fake turns
 * it into its own wire format.
 */
export type FakeReply =
  /** A streamed answer: `tokens` one per chunk (or `text` split into words, or generated). */
  | { kind: 'text'; tokens?: string[]; text?: string; usage?: FakeUsage }
  /** The model calls tools; several calls in one step when there are several. */
  | { kind: 'tool_calls'; calls: Array<{ id?: string; name: string; arguments: Record<string, unknown> }>; usage?: FakeUsage }
  /** An HTTP error with the provider's error body. */
  | { kind: 'error'; status: number; message?: string; headers?: Record<string, string> }
  /** Sends `tokens`, then nothing more, keeping the connection open until the client leaves. */
  | { kind: 'stall'; tokens?: string[] }
  /** Sends `tokens`, then cuts the connection as a crashing upstream would. */
  | { kind: 'break'; tokens: string[] }
  /** The provider blocks the answer (Gemini SAFETY, OpenAI content_filter) after `tokens`. */
  | { kind: 'blocked'; tokens?: string[]; usage?: FakeUsage }
  /** Replays a recorded wire stream from test/fakes/fixtures/, one SSE event per delay. */
  | { kind: 'fixture'; file: string };

export interface FakeUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface FakeProviderOptions {
  /** Replies in request order, or chosen per request; past the end, a generated answer. */
  replies?: FakeReply[] | ((request: RecordedRequest, index: number) => FakeReply | undefined);
  /** Tokens in a generated answer (default 5). */
  tokensPerAnswer?: number;
  /** Delay between streamed chunks (default 0). */
  tokenDelayMs?: number;
  /** Delay before the first chunk is written, after the response headers (default 0). */
  firstTokenDelayMs?: number;
}

export function chooseReply(options: FakeProviderOptions, request: RecordedRequest, index: number): FakeReply {
  const { replies } = options;
  const scripted = typeof replies === 'function' ? replies(request, index) : replies?.[index];
  return scripted ?? { kind: 'text' };
}

/** The tokens a text-like reply streams. */
export function replyTokens(reply: { tokens?: string[]; text?: string }, options: FakeProviderOptions): string[] {
  if (reply.tokens) return reply.tokens;
  if (reply.text !== undefined) return reply.text.match(/\S+\s*/g) ?? [reply.text];
  return Array.from({ length: options.tokensPerAnswer ?? 5 }, (_, index) => `token${index} `);
}

/** Writes SSE events with the configured pacing; stops quietly when the client has gone. */
export class SseWriter {
  #first = true;

  constructor(
    private readonly response: ServerResponse,
    private readonly options: FakeProviderOptions,
    private readonly closed: AbortSignal,
  ) {}

  open(): void {
    this.response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    this.response.flushHeaders();
  }

  async event(data: unknown): Promise<boolean> {
    const delay = this.#first ? (this.options.firstTokenDelayMs ?? 0) : (this.options.tokenDelayMs ?? 0);
    this.#first = false;
    if (delay > 0) await sleep(delay, this.closed);
    if (this.closed.aborted) return false;
    this.response.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    return true;
  }

  /** Replays a fixture file: its events as recorded, paced like live ones. */
  async fixture(file: string): Promise<void> {
    const text = await readFile(fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url)), 'utf8');
    for (const block of text.split(/\n\n+/)) {
      const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
      if (data && !(await this.event(data))) return;
    }
    this.response.end();
  }

  /** Keeps the connection open with nothing on it until the client gives up. */
  async stall(): Promise<void> {
    if (this.closed.aborted) return;
    await new Promise((resolve) => this.closed.addEventListener('abort', resolve, { once: true }));
  }

  /** Ends the connection mid-body, after what was written reached the client, as a crashing upstream would. */
  async breakConnection(recorded: RecordedRequest): Promise<void> {
    recorded.brokenByServer = true;
    await new Promise((resolve) => this.response.write('', resolve));
    this.response.socket?.end();
  }

  end(): void {
    if (!this.closed.aborted) this.response.end();
  }
}

export function sendJsonError(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
