/**
 * Seconds of sound in a RIFF/WAVE file: the `data` chunk's bytes over the `fmt ` chunk's byte
 * rate. A recorder that streamed its file may leave the data size unset (0 or all ones): the
 * bytes actually there count then. Null when the header cannot be read.
 */
export function wavDuration(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || text(bytes, 0, 4) !== 'RIFF' || text(bytes, 8, 4) !== 'WAVE') return null;
  let byteRate = 0;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = text(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const start = offset + 8;
    if (id === 'fmt ' && start + 12 <= bytes.length) byteRate = view.getUint32(start + 8, true);
    if (id === 'data') {
      if (byteRate === 0) return null;
      const available = bytes.length - start;
      const dataBytes = size === 0 || size === 0xffffffff ? available : Math.min(size, available);
      return dataBytes / byteRate;
    }
    // Chunks are padded to an even length.
    offset = start + size + (size % 2);
  }
  return null;
}

function text(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}
