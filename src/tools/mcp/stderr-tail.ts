/**
 * The end of what a stdio server wrote to stderr, in bounded memory: a server that floods it
 * costs a read and a copy, never a log line per line. The last line is what an operator needs
 * when the server dies ("Error: Cannot find module ...").
 */
export class StderrTail {
  #text = '';
  #bytes = 0;

  constructor(private readonly maxChars = 4096) {}

  append(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.#bytes += Buffer.byteLength(text);
    this.#text = (this.#text + text).slice(-this.maxChars);
  }

  /** Bytes seen since the server started. */
  get bytes(): number {
    return this.#bytes;
  }

  lastLine(): string {
    const lines = this.#text.split('\n').map((line) => line.trim()).filter(Boolean);
    return lines.at(-1) ?? '';
  }

  clear(): void {
    this.#text = '';
    this.#bytes = 0;
  }
}
