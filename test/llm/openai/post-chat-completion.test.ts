import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { chatCompletionPoster } from '../../../src/llm/openai/post-chat-completion.js';
import { toApiCallError } from '../../../src/llm/openai/map-openai-error.js';
import { FakeHttpServer, type RequestHandler } from '../../fakes/fake-http-server.js';

let server: FakeHttpServer | undefined;
afterEach(() => server?.stop());

async function serverAnswering(handler: RequestHandler): Promise<string> {
  server = new FakeHttpServer(handler);
  return `${await server.start()}/v1/chat/completions`;
}

const answer = (status: number, body: string, headers: Record<string, string> = {}): RequestHandler => async (_request, response) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
};

describe('posting a chat completion request', () => {
  it('sends JSON with the key and the per-call headers, a null header left out', async () => {
    const url = await serverAnswering(answer(200, '{}'));
    const post = chatCompletionPoster({ url, apiKey: 'sk-test' });

    const response = await post({ body: { model: 'm', messages: [] }, headers: { 'X-Trace': 'abc', Authorization: undefined } });
    await response.text();

    const [request] = server!.requests;
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.method).toBe('POST');
    expect(request?.body).toStrictEqual({ model: 'm', messages: [] });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-trace']).toBe('abc');
    expect(request?.headers.authorization).toBeUndefined();
  });

  it("throws a failed status as the openai client's own error, with the server's message and headers", async () => {
    const url = await serverAnswering(answer(429, '{"error":{"message":"Slow down","type":"rate_limit"}}', { 'retry-after': '2' }));
    const post = chatCompletionPoster({ url, apiKey: 'sk-test' });

    const error = await post({ body: {} }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toBe('429 Slow down');
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('2');
    expect(toApiCallError(error, 'url', {})).toMatchObject({ statusCode: 429, isRetryable: true, data: { error: { message: 'Slow down' } } });
  });

  it('keeps a body that is not JSON as the message', async () => {
    const url = await serverAnswering(answer(502, 'Bad gateway from the proxy'));
    const error = await chatCompletionPoster({ url })({ body: {} }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as Error).message).toBe('502 Bad gateway from the proxy');
  });

  it('throws a server it cannot reach as a connection error, which may be retried', async () => {
    const url = await serverAnswering(answer(200, '{}'));
    await server!.stop();
    server = undefined;

    const error = await chatCompletionPoster({ url })({ body: {} }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(toApiCallError(error, 'url', {})).toMatchObject({ isRetryable: true });
  });

  it('throws a cancel as it came, for the turn to recognise by its own signal', async () => {
    const url = await serverAnswering(async (_request, _response, _index, closed) => {
      await new Promise((resolve) => closed.addEventListener('abort', resolve));
    });
    const cancel = new AbortController();
    const pending = chatCompletionPoster({ url })({ body: {}, signal: cancel.signal });
    await server!.waitForRequest(0);
    cancel.abort();

    const error = await pending.catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(toApiCallError(error, 'url', {})).toBe(error);
    await server!.waitForClientAbort(0);
  });
});
