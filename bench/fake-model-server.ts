import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { answerToken, pacingFromModel, pacingFromText, type AnswerPacing } from './fake-answer.js';

/**
 * A fake OpenAI-compatible model for the benchmark: `POST /v1/chat/completions`, streamed as
 * OpenAI streams (a role chunk, one `delta.content` chunk per token, `finish_reason: "stop"`,
 * the usage chunk when `stream_options.include_usage`, `data: [DONE]`), or answered at once
 * when `stream` is not true (summaries). Chunks are built once per answer size and each
 * stream costs one timer per token, so the fake stays light beside the load generator.
 * Pacing comes from the model name (see fake-answer.ts), else from the defaults given here.
 */
export interface FakeModelServer {
  url: string;
  /** Requests answered so far. */
  readonly requests: number;
  close(): Promise<void>;
}

interface ChunkSet {
  head: string;
  tokens: string[];
  tail: string;
}

const chunkSets = new Map<number, ChunkSet>();

function chunksFor(tokens: number): ChunkSet {
  let set = chunkSets.get(tokens);
  if (set) return set;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'fake', choices, ...extra })}\n\n`;
  set = {
    head: chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    tokens: Array.from({ length: tokens }, (_, index) => chunk([{ index: 0, delta: { content: answerToken(index) }, finish_reason: null }])),
    tail: chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
  };
  chunkSets.set(tokens, set);
  return set;
}

function usageChunk(tokens: number): string {
  const usage = { prompt_tokens: 10, completion_tokens: tokens, total_tokens: 10 + tokens };
  return `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'fake', choices: [], usage })}\n\n`;
}

export async function startFakeModelServer(options: { port?: number; defaults?: Partial<AnswerPacing> } = {}): Promise<FakeModelServer> {
  const defaults: AnswerPacing = { tokens: 200, delayMs: 0, firstTokenMs: 0, ...options.defaults };
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    void answer(request, response, defaults);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, defaults: AnswerPacing): Promise<void> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: `Unknown request URL: ${request.method} ${request.url}`, type: 'invalid_request_error', code: 'unknown_url' } }));
    return;
  }
  let body: { model?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown }; messages?: Array<{ role?: unknown; content?: unknown }> };
  try {
    body = JSON.parse(Buffer.concat(parts).toString('utf8')) as typeof body;
  } catch {
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: 'body is not JSON', type: 'invalid_request_error', code: null } }));
    return;
  }
  const pacing = pacingFromText(lastUserText(body.messages)) ?? pacingFromModel(body.model, defaults);
  if (body.stream !== true) return answerOnce(response, pacing);

  const chunks = chunksFor(pacing.tokens);
  const ending = chunks.tail + (body.stream_options?.include_usage ? usageChunk(pacing.tokens) : '') + 'data: [DONE]\n\n';
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  if (pacing.delayMs === 0 && pacing.firstTokenMs === 0) {
    // An infinitely fast model: the whole answer at once, as fast as the relay can take it.
    response.end(chunks.head + chunks.tokens.join('') + ending);
    return;
  }
  response.write(chunks.head);
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  response.on('close', () => clearTimeout(timer));
  const step = () => {
    if (response.destroyed) return;
    if (next < chunks.tokens.length) {
      response.write(chunks.tokens[next]!);
      next += 1;
      timer = setTimeout(step, pacing.delayMs);
      return;
    }
    response.end(ending);
  };
  timer = setTimeout(step, pacing.firstTokenMs);
}

function lastUserText(messages: Array<{ role?: unknown; content?: unknown }> | undefined): string {
  const last = messages?.findLast((message) => message.role === 'user');
  if (typeof last?.content === 'string') return last.content;
  // Content as parts: [{ type: 'text', text }].
  if (Array.isArray(last?.content)) return last.content.map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : '')).join('');
  return '';
}

function answerOnce(response: ServerResponse, pacing: AnswerPacing): void {
  const text = Array.from({ length: pacing.tokens }, (_, index) => answerToken(index)).join('');
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'fake',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: pacing.tokens, total_tokens: 10 + pacing.tokens },
    }),
  );
}

// Run on its own: `tsx bench/fake-model-server.ts --port 0 --tokens 200 --delay 20 --first 0`;
// prints `READY <url>` once listening.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argument = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index === -1 ? undefined : Number(process.argv[index + 1]);
  };
  const server = await startFakeModelServer({
    port: argument('port') ?? 0,
    defaults: {
      ...(argument('tokens') === undefined ? {} : { tokens: argument('tokens')! }),
      ...(argument('delay') === undefined ? {} : { delayMs: argument('delay')! }),
      ...(argument('first') === undefined ? {} : { firstTokenMs: argument('first')! }),
    },
  });
  process.stdout.write(`READY ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
