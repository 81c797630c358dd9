import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Enough of a file's start for file-type to recognize every signature it knows. */
export const sniffBytes = 4100;

export interface ReceivedUpload {
  /** Where the bytes are now: a temporary file the caller moves or removes. */
  path: string;
  sha256: string;
  size: number;
  /** The first sniffBytes bytes (fewer for a smaller file). */
  head: Buffer;
  /** Whether the whole file is UTF-8 with no NUL: a text file. */
  text: boolean;
}

/**
 * Streams an upload to `path` while hashing it, keeping its first bytes and checking whether
 * it is text: memory stays at a chunk or two whatever the file's size. The size limit is the
 * source's (busboy's `fileSize`), which fails the stream when it is passed.
 */
export async function receiveUpload(source: Readable, path: string): Promise<ReceivedUpload> {
  const meter = new UploadMeter();
  await pipeline(source, meter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  return { path, ...meter.result() };
}

class UploadMeter extends Transform {
  readonly #hash = createHash('sha256');
  readonly #headChunks: Buffer[] = [];
  #headLength = 0;
  #size = 0;
  #text = true;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    if (this.#headLength < sniffBytes) {
      const piece = chunk.subarray(0, sniffBytes - this.#headLength);
      this.#headChunks.push(Buffer.from(piece));
      this.#headLength += piece.length;
    }
    if (this.#text) this.#checkText(chunk, false);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#text) this.#checkText(Buffer.alloc(0), true);
    callback();
  }

  #checkText(chunk: Buffer, last: boolean): void {
    if (chunk.includes(0)) {
      this.#text = false;
      return;
    }
    try {
      this.#decoder.decode(chunk, { stream: !last });
    } catch {
      this.#text = false;
    }
  }

  result(): Omit<ReceivedUpload, 'path'> {
    return { sha256: this.#hash.digest('hex'), size: this.#size, head: Buffer.concat(this.#headChunks), text: this.#text && this.#size > 0 };
  }
}
