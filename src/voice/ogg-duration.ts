/**
 * Seconds of sound in an Ogg Opus or Ogg Vorbis stream: the highest granule position of its
 * pages over the codec's sample rate (48 kHz for Opus, less its pre-skip; Vorbis states its
 * own). Pages are walked by their lengths, so a cut-off last page ends the walk. Null when
 * the first page is not an Opus or Vorbis header.
 */
export function oggDuration(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = pageAt(bytes, view, 0);
  if (first === null) return null;
  const header = bytes.subarray(first.bodyStart, first.end);
  let rate: number;
  let preSkip = 0;
  if (startsWith(header, 'OpusHead') && header.length >= 12) {
    rate = 48_000;
    preSkip = header[10]! | (header[11]! << 8);
  } else if (header[0] === 1 && startsWith(header.subarray(1), 'vorbis') && header.length >= 16) {
    rate = new DataView(header.buffer, header.byteOffset).getUint32(12, true);
  } else return null;
  if (rate === 0) return null;

  let samples = 0n;
  for (let page = pageAt(bytes, view, 0); page !== null; page = pageAt(bytes, view, page.end)) {
    // -1: no packet ends on this page.
    if (page.granule > samples) samples = page.granule;
  }
  return Math.max(0, Number(samples) - preSkip) / rate;
}

interface Page {
  granule: bigint;
  bodyStart: number;
  end: number;
}

function pageAt(bytes: Uint8Array, view: DataView, offset: number): Page | null {
  if (offset + 27 > bytes.length || !startsWith(bytes.subarray(offset), 'OggS')) return null;
  const segments = bytes[offset + 26]!;
  const bodyStart = offset + 27 + segments;
  if (bodyStart > bytes.length) return null;
  let bodyLength = 0;
  for (let index = 0; index < segments; index++) bodyLength += bytes[offset + 27 + index]!;
  const end = bodyStart + bodyLength;
  if (end > bytes.length) return null;
  return { granule: view.getBigInt64(offset + 6, true), bodyStart, end };
}

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let index = 0; index < prefix.length; index++) if (bytes[index] !== prefix.charCodeAt(index)) return false;
  return true;
}
