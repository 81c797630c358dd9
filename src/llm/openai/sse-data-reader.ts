/**
 * The `data` of each server-sent event in a response body, read straight off the body's
 * reader: one `read` per network chunk, one string slice per line, nothing copied twice.
 * The `openai` client's own decoder copies the rest of its byte buffer once per event (time
 * quadratic in a read's size) and runs three async-generator stages per token; this is what
 * the bare relay does, with the parts of the SSE format a chat stream uses: `data` lines
 * (joined with `\n` when an event has several), comments, other fields ignored, LF or CRLF
 * line ends. An event cut off by the end of the body still counts, as the client counted it.
 */
export class SseDataReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  /** The start of a line whose end has not come yet. */
  #partialLine = '';
  /** The data lines of the event being read. */
  readonly #data: string[] = [];
  /** Whole events not handed out yet. */
  readonly #events: string[] = [];
  #next = 0;
  #ended = false;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The next event's data, or undefined once the body has ended. */
  async read(): Promise<string | undefined> {
    for (;;) {
      if (this.#next < this.#events.length) return this.#events[this.#next++];
      if (this.#ended) return undefined;
      this.#events.length = 0;
      this.#next = 0;
      const { value, done } = await this.#reader.read();
      if (done) {
        this.#ended = true;
        this.#take(`${this.#decoder.decode()}\n\n`);
      } else {
        this.#take(this.#decoder.decode(value, { stream: true }));
      }
    }
  }

  /** Stops reading: the connection is closed, and later reads return undefined. */
  async cancel(): Promise<void> {
    this.#ended = true;
    this.#events.length = 0;
    await this.#reader.cancel().catch(() => undefined);
  }

  #take(text: string): void {
    const chunk = this.#partialLine === '' ? text : this.#partialLine + text;
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      this.#line(chunk.slice(start, chunk.charCodeAt(end - 1) === 13 ? end - 1 : end));
      start = end + 1;
    }
    this.#partialLine = start === 0 ? chunk : chunk.slice(start);
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#data.length === 0) return;
      this.#events.push(this.#data.length === 1 ? this.#data[0]! : this.#data.join('\n'));
      this.#data.length = 0;
      return;
    }
    if (!line.startsWith('data')) return;
    const colon = 4;
    if (line.length === colon) {
      this.#data.push('');
      return;
    }
    if (line.charCodeAt(colon) !== 58) return; // `dataset: ...` is another field.
    this.#data.push(line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1));
  }
}
