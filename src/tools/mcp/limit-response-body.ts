/** What a Streamable HTTP transport's `fetch` looks like. */
export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

const bodilessStatuses = new Set([101, 204, 205, 304]);

/**
 * `fetch` whose response bodies stop with an error past `maxBytes` in one message: a whole
 * JSON body, or one line of an SSE stream (the stream of server notifications lives for hours,
 * so only its lines are bounded). The same bound as the stdio transport's read buffer, so a
 * server cannot make Parley hold more than that for one message, over either transport.
 */
export function limitResponseBodies(maxBytes: number, inner: Fetch = fetch): Fetch {
  return async (url, init) => {
    const response = await inner(url, init);
    if (response.body === null || bodilessStatuses.has(response.status)) return response;
    const perLine = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    let count = 0;
    const limited = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          // Lines inside one chunk are shorter than the chunk (tens of KB): only the line that
          // runs across chunks can grow.
          const firstNewline = perLine ? chunk.indexOf(10) : -1;
          const runLength = count + (firstNewline === -1 ? chunk.length : firstNewline);
          count = firstNewline === -1 ? runLength : chunk.length - chunk.lastIndexOf(10) - 1;
          if (runLength > maxBytes) {
            controller.error(new Error(`the server sent a message larger than ${maxBytes} bytes`));
            return;
          }
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
