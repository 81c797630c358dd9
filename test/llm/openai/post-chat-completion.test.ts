import { APICallError } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { chatCompletionPoster } from '../../../src/llm/openai/post-chat-completion.js';
import { FakeHttpServer, type RequestHandler } from '../../fakes/fake-http-server.js';

let server: FakeHttpServer | undefined;
afterEach(() => server?.stop());

async function serverAnswering(handler: RequestHandler): Promise<string> {
  server = new FakeHttpServer(handler);
  return `${await server.start()}/v1/chat/completions`;
}

const answer = (status: number, body: string, headers: Record<string, string> = {}): RequestHandler => (_request, response) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
  return Promise.resolve();
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

  it("throws a failed status as the AI SDK's APICallError, with the server's message, headers and body", async () => {
    const body = '{"error":{"message":"Slow down","type":"rate_limit"}}';
    const url = await serverAnswering(answer(429, body, { 'retry-after': '2' }));
    const post = chatCompletionPoster({ url, apiKey: 'sk-test' });

    const error = await post({ body: { model: 'm' } }).catch((thrown: unknown) => thrown);

    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      message: '429 Slow down',
      url,
      requestBodyValues: { model: 'm' },
      statusCode: 429,
      responseHeaders: { 'retry-after': '2' },
      responseBody: body,
      data: { error: { message: 'Slow down', type: 'rate_limit' } },
      isRetryable: true,
    });
  });

  it.each([
    [400, false],
    [404, false],
    [408, true],
    [409, true],
    [500, true],
    [503, true],
  ])('marks HTTP %i as retryable: %s', async (status, retryable) => {
    const url = await serverAnswering(answer(status, '{"error":{"message":"no"}}'));
    const error = await chatCompletionPoster({ url })({ body: {} }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ statusCode: status, isRetryable: retryable });
  });

  it('keeps a body that is not JSON as the message', async () => {
    const url = await serverAnswering(answer(502, 'Bad gateway from the proxy'));
    const error = await chatCompletionPoster({ url })({ body: {} }).catch((thrown: unknown) => thrown);

    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ message: '502 Bad gateway from the proxy', statusCode: 502, responseBody: 'Bad gateway from the proxy', data: undefined });
  });

  it('throws a server it cannot reach as an APICallError with no status, which may be retried', async () => {
    const url = await serverAnswering(answer(200, '{}'));
    await server!.stop();
    server = undefined;

    const error = await chatCompletionPoster({ url })({ body: {} }).catch((thrown: unknown) => thrown);

    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: undefined, isRetryable: true });
    expect((error as APICallError).message).toMatch(/^Cannot connect to API: /);
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
    expect(APICallError.isInstance(error)).toBe(false);
    await server!.waitForClientAbort(0);
  });
});
