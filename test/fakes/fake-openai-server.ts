import type { ServerResponse } from 'node:http';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { FakeHttpServer, type RecordedRequest } from './fake-http-server.js';
import { chooseReply, replyTokens, sendJsonError, SseWriter, type FakeProviderOptions, type FakeReply, type FakeUsage } from './fake-reply.js';

/**
 * An OpenAI-compatible server as OpenAI documents its streaming Chat Completions API:
 * `POST /v1/chat/completions` answering `data: {chunk}` events (`delta.content`,
 * `delta.tool_calls` split over several chunks, `finish_reason`, the usage chunk when
 * `stream_options.include_usage` is set) and `data: [DONE]`; errors as `{error:{message,type,code}}`.
 * Base URL for clients: `${server.url}/v1`.
 */
export class FakeOpenAiServer extends FakeHttpServer {
  constructor(readonly options: FakeProviderOptions = {}) {
    super((recorded, response, index, closed) => answer(recorded, response, index, closed, options));
  }

  get baseUrl(): string {
    return `${this.url}/v1`;
  }
}

/** What a client posts to `/v1/chat/completions`. */
export type OpenAiRequestBody = ChatCompletionCreateParamsBase;

/** The Chat Completions request a fake OpenAI server received, for a test to read. */
export function openAiRequestBody(request: RecordedRequest | undefined): OpenAiRequestBody {
  if (request === undefined) throw new Error('no such request was received');
  if (!isOpenAiRequestBody(request.body)) throw new Error(`not a chat completion request: ${JSON.stringify(request.body)}`);
  return request.body;
}

function isOpenAiRequestBody(body: unknown): body is OpenAiRequestBody {
  return typeof body === 'object' && body !== null && Array.isArray((body as { messages?: unknown }).messages);
}

export async function startFakeOpenAiServer(options: FakeProviderOptions = {}): Promise<FakeOpenAiServer> {
  const server = new FakeOpenAiServer(options);
  await server.start();
  return server;
}

async function answer(recorded: RecordedRequest, response: ServerResponse, index: number, closed: AbortSignal, options: FakeProviderOptions): Promise<void> {
  if (recorded.method !== 'POST' || recorded.url !== '/v1/chat/completions') {
    sendJsonError(response, 404, { error: { message: `Unknown request URL: ${recorded.method} ${recorded.url}`, type: 'invalid_request_error', code: 'unknown_url' } });
    return;
  }
  const body = recorded.body;
  if (!isOpenAiRequestBody(body)) {
    sendJsonError(response, 400, { error: { message: "'messages' is a required property", type: 'invalid_request_error', param: 'messages', code: null } });
    return;
  }
  const reply = chooseReply(options, recorded, index);
  if (reply.kind === 'error') {
    sendJsonError(response, reply.status, errorBody(reply), reply.headers);
    return;
  }

  const model = body.model;
  const id = `chatcmpl-fake${index}`;
  if (body.stream !== true) return answerOnce(reply, recorded, response, id, model, options);
  const chunk = (choice: Record<string, unknown> | null, extra: Record<string, unknown> = {}) => ({
    id,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: choice === null ? [] : [{ index: 0, logprobs: null, ...choice }],
    ...extra,
  });
  const sse = new SseWriter(response, options, closed);
  sse.open();
  if (reply.kind === 'fixture') return sse.fixture(reply.file);

  if (!(await sse.event(chunk({ delta: { role: 'assistant', content: '' }, finish_reason: null })))) return;
  const tokens = reply.kind === 'text' ? replyTokens(reply, options) : reply.kind === 'tool_calls' ? [] : (reply.tokens ?? []);
  for (const token of tokens) {
    if (!(await sse.event(chunk({ delta: { content: token }, finish_reason: null })))) return;
  }
  if (reply.kind === 'stall') return sse.stall();
  if (reply.kind === 'break') return sse.breakConnection(recorded);

  let finishReason = 'stop';
  if (reply.kind === 'tool_calls') {
    finishReason = 'tool_calls';
    for (const [callIndex, call] of reply.calls.entries()) {
      const callId = call.id ?? `call_fake${index}_${callIndex}`;
      const head = { index: callIndex, id: callId, type: 'function', function: { name: call.name, arguments: '' } };
      if (!(await sse.event(chunk({ delta: { tool_calls: [head] }, finish_reason: null })))) return;
      for (const piece of splitInPieces(JSON.stringify(call.arguments), 3)) {
        if (!(await sse.event(chunk({ delta: { tool_calls: [{ index: callIndex, function: { arguments: piece } }] }, finish_reason: null })))) return;
      }
    }
  }
  if (reply.kind === 'blocked') finishReason = 'content_filter';
  if (!(await sse.event(chunk({ delta: {}, finish_reason: finishReason })))) return;

  if (body.stream_options?.include_usage) {
    const usage = usageOf(reply, recorded, tokens.length);
    const usageChunk = chunk(null, {
      usage: { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens },
    });
    if (!(await sse.event(usageChunk))) return;
  }
  if (!(await sse.event('[DONE]'))) return;
  sse.end();
}

/** A non-streamed completion, used for one-shot calls such as summaries. */
function answerOnce(reply: FakeReply, recorded: RecordedRequest, response: ServerResponse, id: string, model: string, options: FakeProviderOptions): void {
  const tokens = reply.kind === 'text' ? replyTokens(reply, options) : [];
  const usage = usageOf(reply, recorded, tokens.length);
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      id,
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: tokens.join('') }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens },
    }),
  );
}

function usageOf(reply: FakeReply, recorded: RecordedRequest, tokenCount: number): FakeUsage {
  if ((reply.kind === 'text' || reply.kind === 'tool_calls' || reply.kind === 'blocked') && reply.usage) return reply.usage;
  return { promptTokens: Math.ceil(JSON.stringify(recorded.body ?? '').length / 4), completionTokens: Math.max(tokenCount, 1) };
}

/** OpenAI's error bodies for the statuses a client meets. */
function errorBody(reply: Extract<FakeReply, { kind: 'error' }>) {
  const known: Record<number, { message: string; type: string; code: string | null }> = {
    401: { message: 'Incorrect API key provided: sk-bad. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key' },
    403: { message: 'You are not allowed to sample from this model', type: 'invalid_request_error', code: 'model_not_allowed' },
    404: { message: 'The model `no-such-model` does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found' },
    429: { message: 'Rate limit reached for requests. Please try again in 1s.', type: 'requests', code: 'rate_limit_exceeded' },
    500: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null },
    503: { message: 'The engine is currently overloaded, please try again later', type: 'server_error', code: null },
  };
  const body = known[reply.status] ?? { message: `error ${reply.status}`, type: 'server_error', code: null };
  return { error: { ...body, param: null, ...(reply.message ? { message: reply.message } : {}) } };
}

function splitInPieces(text: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / pieces));
  const result: string[] = [];
  for (let start = 0; start < text.length; start += size) result.push(text.slice(start, start + size));
  return result;
}
