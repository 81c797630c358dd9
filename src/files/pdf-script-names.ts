/** PDF names that start scripts: `/JS` and `/JavaScript` (actions, the document's script tree). */
const scriptNames = new Set(['JS', 'JavaScript']);

/** A PDF name token; `#xx` escapes stand for any byte, so `/J#53` is `/JS`. */
const nameToken = /\/([^\s/<>[\]()%{}]{1,64})/g;

/**
 * Whether the file's uncompressed bytes name a script, in any spelling. Names inside
 * compressed object streams escape this scan; pdf.js's own reading of the document's and
 * pages' actions (pdf-worker.ts) covers them.
 */
export function namesScript(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  for (const match of text.matchAll(nameToken)) {
    const raw = match[1]!;
    if (raw[0] !== 'J' && raw[0] !== '#') continue;
    const name = raw.includes('#') ? raw.replace(/#([0-9a-fA-F]{2})/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16))) : raw;
    if (scriptNames.has(name)) return true;
  }
  return false;
}
