/**
 * Recordings built byte by byte in the containers browsers record, shaped as their
 * MediaRecorder writes them, for tests that need a given length without a recorder.
 */

/** An EBML element; `size: 'unknown'` as MediaRecorder writes its segment and clusters. */
function element(id: number[], payload: Buffer, size: 'known' | 'unknown' = 'known'): Buffer {
  const length = Buffer.alloc(8);
  if (size === 'unknown') length.set([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  else {
    length[0] = 0x01;
    length.writeUIntBE(payload.length, 2, 6);
  }
  return Buffer.concat([Buffer.from(id), length, payload]);
}

function uint(value: number, bytes = 4): Buffer {
  const buffer = Buffer.alloc(bytes);
  buffer.writeUIntBE(value, 0, bytes);
  return buffer;
}

/** A SimpleBlock of track 1 at `relativeMs` into its cluster, with a few bytes of "Opus". */
function simpleBlock(relativeMs: number): Buffer {
  const header = Buffer.alloc(4);
  header[0] = 0x81;
  header.writeInt16BE(relativeMs, 1);
  header[3] = 0x80;
  return element([0xa3], Buffer.concat([header, Buffer.alloc(40, 0x55)]));
}

/**
 * A WebM audio file: clusters of unknown size starting at each of `clusterStartsMs`, each with
 * blocks every 20 ms for `clusterMs`; `statedSeconds` writes a Duration into its Info.
 */
export function webmRecording({ clusterStartsMs, clusterMs = 1000, statedSeconds }: { clusterStartsMs: number[]; clusterMs?: number; statedSeconds?: number }): Buffer {
  const header = element([0x1a, 0x45, 0xdf, 0xa3], Buffer.concat([element([0x42, 0x86], uint(1, 1)), element([0x42, 0x82], Buffer.from('webm')), element([0x42, 0x87], uint(4, 1))]));
  const duration = Buffer.alloc(8);
  if (statedSeconds !== undefined) duration.writeDoubleBE(statedSeconds * 1000);
  const info = element([0x15, 0x49, 0xa9, 0x66], Buffer.concat([
    element([0x2a, 0xd7, 0xb1], uint(1_000_000)),
    ...(statedSeconds === undefined ? [] : [element([0x44, 0x89], duration)]),
  ]));
  const track = element([0xae], Buffer.concat([element([0xd7], uint(1, 1)), element([0x83], uint(2, 1)), element([0x86], Buffer.from('A_OPUS'))]));
  const tracks = element([0x16, 0x54, 0xae, 0x6b], track);
  const clusters = clusterStartsMs.map((startMs) => {
    const blocks = [];
    for (let at = 0; at < clusterMs; at += 20) blocks.push(simpleBlock(at));
    return element([0x1f, 0x43, 0xb6, 0x75], Buffer.concat([element([0xe7], uint(startMs)), ...blocks]), 'unknown');
  });
  return Buffer.concat([header, element([0x18, 0x53, 0x80, 0x67], Buffer.concat([info, tracks, ...clusters]), 'unknown')]);
}

function oggPage(granule: bigint, sequence: number, body: Buffer): Buffer {
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'ascii');
  header[5] = sequence === 0 ? 2 : 0;
  header.writeBigInt64LE(granule, 6);
  header.writeUInt32LE(0x5a5a, 14);
  header.writeUInt32LE(sequence, 18);
  const segments: number[] = [];
  for (let left = body.length; left >= 0; left -= 255) segments.push(Math.min(left, 255));
  header[26] = segments.length;
  return Buffer.concat([header, Buffer.from(segments), body]);
}

/** An Ogg Opus file `seconds` long (48 kHz granules, 312 samples of pre-skip), as Firefox records. */
export function oggOpusRecording(seconds: number): Buffer {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'ascii');
  head[8] = 1;
  head[9] = 1;
  head.writeUInt16LE(312, 10);
  head.writeUInt32LE(48_000, 12);
  const tags = Buffer.concat([Buffer.from('OpusTags'), uint(0), uint(0)]);
  const pages = [oggPage(0n, 0, head), oggPage(0n, 1, tags)];
  const perPage = 48_000;
  for (let second = 1; second <= Math.ceil(seconds); second++) {
    const granule = BigInt(Math.round(Math.min(second, seconds) * perPage) + 312);
    pages.push(oggPage(granule, second + 1, Buffer.alloc(300, 0x33)));
  }
  return Buffer.concat(pages);
}

/** The start of a PNG image: a signature and an IHDR chunk. */
export const pngBytes = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
