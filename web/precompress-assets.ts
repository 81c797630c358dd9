import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Text formats worth compressing; fonts (KaTeX's .ttf is a fallback no browser here asks for) and images are left as they are. */
const compressible = /\.(js|mjs|css|html|svg|json|txt)$/;
/** Below this, a compressed copy saves less than its headers cost. */
const smallestWorthIt = 1024;

export interface PrecompressResult {
  files: number;
  bytes: number;
  brotliBytes: number;
  gzipBytes: number;
}

/**
 * Writes `name.br` and `name.gz` next to every text asset under `directory`, for the server's
 * @fastify/static `preCompressed` to send as they are: compressing once at build, at the
 * highest levels, costs the server nothing per request (src/http/web-routes.ts).
 */
export async function precompressAssets(directory: string): Promise<PrecompressResult> {
  const result: PrecompressResult = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  for (const path of await textAssets(directory)) {
    const content = await readFile(path);
    if (content.length < smallestWorthIt) continue;
    const [asBrotli, asGzip] = await Promise.all([
      brotli(content, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }),
      gzipped(content, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    // A copy no smaller than the file would only cost bytes: the file itself is sent instead.
    if (asBrotli.length < content.length) await writeFile(`${path}.br`, asBrotli);
    if (asGzip.length < content.length) await writeFile(`${path}.gz`, asGzip);
    result.files += 1;
    result.bytes += content.length;
    result.brotliBytes += Math.min(asBrotli.length, content.length);
    result.gzipBytes += Math.min(asGzip.length, content.length);
  }
  return result;
}

async function textAssets(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && compressible.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
}

// `tsx web/precompress-assets.ts [directory]`: by hand, on a page built elsewhere.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const directory = process.argv[2] ?? fileURLToPath(new URL('../dist/web/', import.meta.url));
  const { files, bytes, brotliBytes, gzipBytes } = await precompressAssets(directory);
  console.log(`precompressed ${files} files: ${bytes} bytes, ${brotliBytes} as brotli, ${gzipBytes} as gzip`);
}
