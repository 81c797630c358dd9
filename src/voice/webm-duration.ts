/** Matroska element ids (with their length marker, as the spec writes them). */
const ids = {
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  cluster: 0x1f43b675,
  clusterTimecode: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
} as const;

/** Elements whose children are read; every other element is stepped over by its size. */
const containers = new Set<number>([ids.segment, ids.info, ids.cluster, ids.blockGroup]);

/**
 * Seconds of sound in a WebM/Matroska file: the time of its last block, or the stated
 * duration if that is longer. Browsers' MediaRecorder writes no duration and clusters of
 * unknown size, so the elements are read in order rather than jumped over by cluster.
 * Null when there is no segment; 0 when there is no block.
 */
export function webmDuration(bytes: Uint8Array): number | null {
  let offset = 0;
  let scale = 1_000_000;
  let stated = 0;
  let clusterTime = 0;
  let lastBlock = 0;
  let sawSegment = false;
  while (offset < bytes.length) {
    const id = readVint(bytes, offset, true);
    if (id === null || id.value === null) break;
    const size = readVint(bytes, offset + id.length, false);
    if (size === null) break;
    const start = offset + id.length + size.length;
    if (id.value === ids.segment) sawSegment = true;
    if (containers.has(id.value)) {
      offset = start;
      continue;
    }
    if (size.value === null || start + size.value > bytes.length) break;
    const data = bytes.subarray(start, start + size.value);
    if (id.value === ids.timecodeScale) scale = readUint(data);
    else if (id.value === ids.duration) stated = readFloat(data);
    else if (id.value === ids.clusterTimecode) clusterTime = readUint(data);
    else if (id.value === ids.simpleBlock || id.value === ids.block) {
      const track = readVint(data, 0, false);
      if (track !== null && track.length + 2 <= data.length) {
        const relative = new DataView(data.buffer, data.byteOffset + track.length, 2).getInt16(0);
        lastBlock = Math.max(lastBlock, clusterTime + relative);
      }
    }
    offset = start + size.value;
  }
  if (!sawSegment) return null;
  return (Math.max(stated, lastBlock) * scale) / 1e9;
}

/** An EBML variable-length integer: ids keep their marker bit; a size of all ones is unknown (null). */
function readVint(bytes: Uint8Array, offset: number, keepMarker: boolean): { value: number | null; length: number } | null {
  const first = bytes[offset];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (offset + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let index = 1; index < length; index++) {
    const byte = bytes[offset + index]!;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value: !keepMarker && allOnes ? null : value, length };
}

function readUint(data: Uint8Array): number {
  let value = 0;
  for (const byte of data) value = value * 256 + byte;
  return value;
}

function readFloat(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length === 4) return view.getFloat32(0);
  if (data.length === 8) return view.getFloat64(0);
  return 0;
}
