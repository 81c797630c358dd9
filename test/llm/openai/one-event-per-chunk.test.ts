import { describe, expect, it } from 'vitest';
import { oneEventPerChunk } from '../../../src/llm/openai/one-event-per-chunk.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A fetch that answers with these reads, as a server's TCP reads would arrive. */
function answering(reads: string[], contentType = 'text/event-stream'): typeof fetch {
  return async () =>
    new Response(
      new ReadableStream({
        start(controller) {
          for (const read of reads) controller.enqueue(encoder.encode(read));
          controller.close();
        },
      }),
      { headers: { 'content-type': contentType } },
    );
}

async function chunksOf(response: Response): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) chunks.push(decoder.decode(chunk));
  return chunks;
}

describe('handing the openai client one SSE event per chunk', () => {
  it('cuts a read that carries several events at each blank line', async () => {
    const response = await oneEventPerChunk(answering(['data: 1\n\ndata: 2\n\ndata: [DONE]\n\n']))('http://model/v1/chat/completions');
    expect(await chunksOf(response)).toStrictEqual(['data: 1\n\n', 'data: 2\n\n', 'data: [DONE]\n\n']);
  });

  it('joins an event split across reads, and keeps CRLF events whole', async () => {
    const response = await oneEventPerChunk(answering(['data: {"a":', '1}\r\n\r\ndata: 2\n', '\ndata: 3']))('http://model/v1/chat/completions');
    expect(await chunksOf(response)).toStrictEqual(['data: {"a":1}\r\n\r\n', 'data: 2\n\n', 'data: 3']);
  });

  it('leaves answers that are not event streams as they came', async () => {
    const response = await oneEventPerChunk(answering(['{"choices":[]}'], 'application/json'))('http://model/v1/chat/completions');
    expect(await response.json()).toStrictEqual({ choices: [] });
  });
});
