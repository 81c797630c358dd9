import { APICallError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { chatChunksOf } from '../../../src/llm/openai/chat-chunks-of.js';
import { SseDataReader } from '../../../src/llm/openai/sse-data-reader.js';

const bytesOf = (text: string) => new TextEncoder().encode(text);

function bodyOf(reads: Uint8Array[]): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < reads.length) controller.enqueue(reads[next++]!);
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

async function readAll(reader: SseDataReader): Promise<string[]> {
  const events: string[] = [];
  for (let data = await reader.read(); data !== undefined; data = await reader.read()) events.push(data);
  return events;
}

const wire =
  ': keep-alive comment\n\n' +
  'data: {"text":"héllo 👋"}\n\n' +
  'event: message\r\nid: 7\r\ndata: {"n":2}\r\n\r\n' +
  'data: first line\ndata: second line\n\n' +
  'data:no space\n\n' +
  'dataset: not data\nretry: 10\n\n' +
  'data: [DONE]\n\n';
const expected = ['{"text":"héllo 👋"}', '{"n":2}', 'first line\nsecond line', 'no space', '[DONE]'];

describe('SseDataReader', () => {
  it('hands out each event’s data, with comments and other fields left out', async () => {
    expect(await readAll(new SseDataReader(bodyOf([bytesOf(wire)]).body))).toStrictEqual(expected);
  });

  it('gives the same events wherever the network cuts the body, even inside a character or a CRLF', async () => {
    const bytes = bytesOf(wire);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const events = await readAll(new SseDataReader(bodyOf([bytes.subarray(0, cut), bytes.subarray(cut)]).body));
      expect(events, `cut at byte ${cut}`).toStrictEqual(expected);
    }
    const oneByteAtATime = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(await readAll(new SseDataReader(bodyOf(oneByteAtATime).body))).toStrictEqual(expected);
  });

  it('counts an event the end of the body cut off, and reads nothing from an empty body', async () => {
    expect(await readAll(new SseDataReader(bodyOf([bytesOf('data: 1\n\ndata: 2')]).body))).toStrictEqual(['1', '2']);
    expect(await readAll(new SseDataReader(bodyOf([]).body))).toStrictEqual([]);
  });

  it('closes the body on cancel, and reads as ended afterwards', async () => {
    const { body, cancelled } = bodyOf([bytesOf('data: 1\n\ndata: 2\n\n'), bytesOf('data: 3\n\n')]);
    const reader = new SseDataReader(body);
    expect(await reader.read()).toBe('1');
    await reader.cancel();
    expect(cancelled()).toBe(true);
    expect(await reader.read()).toBeUndefined();
  });
});

describe('chatChunksOf', () => {
  const request = { url: 'http://127.0.0.1:1/v1/chat/completions', body: { model: 'm', stream: true } };

  it('yields each chunk and skips the [DONE] marker', async () => {
    const chunks = chatChunksOf(new SseDataReader(bodyOf([bytesOf('data: {"id":"a","choices":[]}\n\ndata: [DONE]\n\n')]).body), request, new Headers());
    expect(await chunks.next()).toStrictEqual({ done: false, value: { id: 'a', choices: [] } });
    expect(await chunks.next()).toStrictEqual({ done: true, value: undefined });
  });

  it('throws an APICallError, retryable, for an event that carries an error', async () => {
    const event = '{"error":{"message":"overloaded","type":"server_error"}}';
    const chunks = chatChunksOf(new SseDataReader(bodyOf([bytesOf(`data: ${event}\n\n`)]).body), request, new Headers({ 'x-request-id': 'r-1' }));
    const error = await chunks.next().then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      message: 'overloaded',
      url: request.url,
      requestBodyValues: request.body,
      statusCode: undefined,
      responseHeaders: { 'x-request-id': 'r-1' },
      responseBody: event,
      data: { error: { message: 'overloaded', type: 'server_error' } },
      isRetryable: true,
    });
  });
});
