import type { ServerResponse } from 'node:http';
import { FakeHttpServer, type RecordedRequest } from './fake-http-server.js';
import { chooseReply, replyTokens, sendJsonError, SseWriter, type FakeProviderOptions, type FakeReply, type FakeUsage } from './fake-reply.js';

/**
 * The Gemini API as Google documents `models.streamGenerateContent` with `alt=sse`:
 * `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` answering `data: {candidates,
 * usageMetadata}` events with text and `functionCall` parts and a final `finishReason`;
 * errors as `{error:{code,message,status}}`. Base URL for clients: `${server.url}/v1beta`.
 */
export class FakeGeminiServer extends FakeHttpServer {
  constructor(readonly options: FakeProviderOptions = {}) {
    super((recorded, response, index, closed) => answer(recorded, response, index, closed, options));
  }

  get baseUrl(): string {
    return `${this.url}/v1beta`;
  }
}

/** The parts of a Gemini `generateContent` request that the tests read, as Google documents them. */
export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: Array<{ functionDeclarations?: Array<{ name: string; description?: string; parameters?: unknown }> }>;
  generationConfig?: Record<string, unknown>;
}

export interface GeminiContent {
  role: 'user' | 'model';
  parts: Array<{
    text?: string;
    functionCall?: { id?: string; name: string; args: unknown };
    functionResponse?: { id?: string; name: string; response: unknown };
    thoughtSignature?: string;
  }>;
}

/** The generateContent request a fake Gemini server received, for a test to read. */
export function geminiRequestBody(request: RecordedRequest | undefined): GeminiRequestBody {
  if (request === undefined) throw new Error('no such request was received');
  if (!isGeminiRequestBody(request.body)) throw new Error(`not a generateContent request: ${JSON.stringify(request.body)}`);
  return request.body;
}

function isGeminiRequestBody(body: unknown): body is GeminiRequestBody {
  return typeof body === 'object' && body !== null && Array.isArray((body as { contents?: unknown }).contents);
}

export async function startFakeGeminiServer(options: FakeProviderOptions = {}): Promise<FakeGeminiServer> {
  const server = new FakeGeminiServer(options);
  await server.start();
  return server;
}

const streamPath = /^\/v1beta\/models\/([^/:]+):streamGenerateContent\?alt=sse$/;
const generatePath = /^\/v1beta\/models\/([^/:]+):generateContent$/;

async function answer(recorded: RecordedRequest, response: ServerResponse, index: number, closed: AbortSignal, options: FakeProviderOptions): Promise<void> {
  const streaming = streamPath.exec(recorded.url);
  const single = generatePath.exec(recorded.url);
  const model = streaming?.[1] ?? single?.[1];
  if (recorded.method !== 'POST' || model === undefined) {
    sendJsonError(response, 404, { error: { code: 404, message: `The requested URL ${recorded.url} was not found on this server.`, status: 'NOT_FOUND' } });
    return;
  }
  const reply = chooseReply(options, recorded, index);
  if (reply.kind === 'error') {
    sendJsonError(response, reply.status, errorBody(reply, model), reply.headers);
    return;
  }
  if (single) return answerOnce(reply, recorded, response, model, options);

  const sse = new SseWriter(response, options, closed);
  sse.open();
  if (reply.kind === 'fixture') return sse.fixture(reply.file);

  const tokens = reply.kind === 'text' ? replyTokens(reply, options) : reply.kind === 'tool_calls' ? [] : (reply.tokens ?? []);
  const usage = usageOf(reply, recorded, tokens.length);
  const candidate = (parts: unknown[] | null, extra: Record<string, unknown> = {}) => ({
    candidates: [{ ...(parts === null ? {} : { content: { parts, role: 'model' } }), index: 0, ...extra }],
    usageMetadata: { promptTokenCount: usage.promptTokens, totalTokenCount: usage.promptTokens },
    modelVersion: model,
    responseId: `fake-response-${index}`,
  });

  const lastTextIndex = reply.kind === 'text' ? tokens.length - 1 : -1;
  for (const [tokenIndex, token] of tokens.entries()) {
    const last = tokenIndex === lastTextIndex;
    const event = last ? finalChunk(candidate([{ text: token }], { finishReason: 'STOP' }), usage) : candidate([{ text: token }]);
    if (!(await sse.event(event))) return;
  }
  if (reply.kind === 'stall') return sse.stall();
  if (reply.kind === 'break') return sse.breakConnection(recorded);
  if (reply.kind === 'tool_calls') {
    // Gemini 3 signs its function calls; a client must send the signature back with them.
    const parts = reply.calls.map((call, callIndex) => ({
      functionCall: { name: call.name, args: call.arguments },
      thoughtSignature: `fake-signature-${index}-${callIndex}`,
    }));
    if (!(await sse.event(finalChunk(candidate(parts, { finishReason: 'STOP' }), usage)))) return;
  }
  if (reply.kind === 'blocked') {
    const ratings = [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }];
    if (!(await sse.event(finalChunk(candidate(null, { finishReason: 'SAFETY', safetyRatings: ratings }), usage)))) return;
  }
  if (reply.kind === 'text' && tokens.length === 0) {
    if (!(await sse.event(finalChunk(candidate([{ text: '' }], { finishReason: 'STOP' }), usage)))) return;
  }
  sse.end();
}

/** `generateContent` (not streamed), used for one-shot calls such as summaries. */
function answerOnce(reply: FakeReply, recorded: RecordedRequest, response: ServerResponse, model: string, options: FakeProviderOptions): void {
  const tokens = reply.kind === 'tool_calls' || reply.kind === 'fixture' ? [] : replyTokens(reply as { tokens?: string[] }, options);
  const usage = usageOf(reply, recorded, tokens.length);
  const body = finalChunk(
    { candidates: [{ content: { parts: [{ text: tokens.join('') }], role: 'model' }, finishReason: 'STOP', index: 0 }], modelVersion: model, responseId: 'fake-response' },
    usage,
  );
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function finalChunk<T extends Record<string, unknown>>(chunk: T, usage: FakeUsage): T {
  return {
    ...chunk,
    usageMetadata: {
      promptTokenCount: usage.promptTokens,
      candidatesTokenCount: usage.completionTokens,
      totalTokenCount: usage.promptTokens + usage.completionTokens,
    },
  };
}

function usageOf(reply: FakeReply, recorded: RecordedRequest, tokenCount: number): FakeUsage {
  if ((reply.kind === 'text' || reply.kind === 'tool_calls' || reply.kind === 'blocked') && reply.usage) return reply.usage;
  return { promptTokens: Math.ceil(JSON.stringify(recorded.body ?? '').length / 4), completionTokens: Math.max(tokenCount, 1) };
}

/** Google's error bodies for the statuses a client meets (a bad key is a 400 on this API). */
function errorBody(reply: Extract<FakeReply, { kind: 'error' }>, model: string) {
  const known: Record<number, { message: string; status: string; details?: unknown[] }> = {
    400: {
      message: 'API key not valid. Please pass a valid API key.',
      status: 'INVALID_ARGUMENT',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
    },
    403: { message: 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.', status: 'PERMISSION_DENIED' },
    404: { message: `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`, status: 'NOT_FOUND' },
    429: { message: 'You exceeded your current quota, please check your plan and billing details.', status: 'RESOURCE_EXHAUSTED' },
    500: { message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting', status: 'INTERNAL' },
    503: { message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' },
  };
  const body = known[reply.status] ?? { message: `error ${reply.status}`, status: 'UNKNOWN' };
  return { error: { code: reply.status, ...body, ...(reply.message ? { message: reply.message } : {}) } };
}
