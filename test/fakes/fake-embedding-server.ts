import type { ServerResponse } from 'node:http';
import { builtinEmbedding } from '../../src/search/builtin-embedding.js';
import { FakeHttpServer, type RecordedRequest } from './fake-http-server.js';
import { sendJsonError } from './fake-reply.js';

/**
 * Embedding endpoints as their providers document them: Gemini's
 * `POST /v1beta/models/{model}:embedContent` (`{content:{parts:[{text}]}}` → `{embedding:{values}}`)
 * and `:batchEmbedContents` (`{requests:[...]}` → `{embeddings:[{values}]}`), with
 * `outputDimensionality`; OpenAI's `POST /v1/embeddings` (`{model, input:[...]}` →
 * `{data:[{index, embedding}]}`). Vectors are the built-in embedding padded with zeros, so
 * relevance is as the built-in one's. `failWith` answers the first requests with those
 * statuses instead (a status of 0 answers them all with the last one).
 */
export class FakeEmbeddingServer extends FakeHttpServer {
  constructor(failWith: number[] = []) {
    super((recorded, response, index) => answer(recorded, response, index, failWith));
  }

  get geminiBaseUrl(): string {
    return `${this.url}/v1beta`;
  }

  get openAiBaseUrl(): string {
    return `${this.url}/v1`;
  }
}

export async function startFakeEmbeddingServer(failWith: number[] = []): Promise<FakeEmbeddingServer> {
  const server = new FakeEmbeddingServer(failWith);
  await server.start();
  return server;
}

const geminiSingle = /^\/v1beta\/models\/[^/:]+:embedContent$/;
const geminiBatch = /^\/v1beta\/models\/[^/:]+:batchEmbedContents$/;

interface GeminiEmbedRequest {
  content: { parts: Array<{ text?: string }> };
  outputDimensionality?: number;
}

async function answer(recorded: RecordedRequest, response: ServerResponse, index: number, failWith: number[]): Promise<void> {
  const failure = failWith.at(-1) === 0 ? failWith.at(-2) : failWith[index];
  if (failure !== undefined) {
    sendJsonError(response, failure, { error: { code: failure, message: `scripted failure ${failure}`, status: failure === 400 ? 'INVALID_ARGUMENT' : 'UNAVAILABLE' } });
    return;
  }
  const body = recorded.body as Record<string, unknown>;
  if (geminiSingle.test(recorded.url)) {
    const request = body as unknown as GeminiEmbedRequest;
    sendJsonError(response, 200, { embedding: { values: vectorOf(textOf(request), request.outputDimensionality) } });
  } else if (geminiBatch.test(recorded.url)) {
    const requests = (body.requests ?? []) as GeminiEmbedRequest[];
    sendJsonError(response, 200, { embeddings: requests.map((request) => ({ values: vectorOf(textOf(request), request.outputDimensionality) })) });
  } else if (recorded.url === '/v1/embeddings') {
    const input = body.input as string[];
    sendJsonError(response, 200, {
      object: 'list',
      model: body.model,
      data: input.map((text, position) => ({ object: 'embedding', index: position, embedding: vectorOf(text, 512) })),
      usage: { prompt_tokens: input.length, total_tokens: input.length },
    });
  } else {
    sendJsonError(response, 404, { error: { code: 404, message: `no route ${recorded.url}` } });
  }
}

function textOf(request: GeminiEmbedRequest): string {
  return request.content.parts.map((part) => part.text ?? '').join('');
}

function vectorOf(text: string, dimensions = 768): number[] {
  const vector = builtinEmbedding(text);
  return [...vector, ...new Array<number>(Math.max(0, dimensions - vector.length)).fill(0)].slice(0, dimensions);
}
