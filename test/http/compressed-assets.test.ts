import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRoot } from '../../src/http/web-routes.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { buildWebPage } from '../web/support/build-web-page.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as they came over the wire, not decoded. */
  body: Buffer;
}

/** A GET through a real socket, with exactly the headers given (fetch would add and undo the encoding). */
function get(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('the page is sent compressed and cached', () => {
  let server: RunningServer;
  let script: string;
  let original: Buffer;

  beforeAll(async () => {
    await buildWebPage();
    server = await startServer();
    const html = await readFile(`${webRoot}index.html`, 'utf8');
    script = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)![1]!;
    original = await readFile(`${webRoot}${script.slice(1)}`);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends the page script as brotli to a browser that takes brotli, cached for good', async () => {
    const response = await get(`${server.httpUrl}${script}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(response.body).equals(original)).toBe(true);
    // The first load's script: a third of its size or less over the wire.
    expect(response.body.length).toBeLessThan(original.length / 3);
  });

  it('sends gzip to a client that takes only gzip', async () => {
    const response = await get(`${server.httpUrl}${script}`, { 'accept-encoding': 'gzip' });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(response.body).equals(original)).toBe(true);
    expect(response.body.length).toBeLessThan(original.length / 2.5);
  });

  it('sends the plain file to a client that takes no encoding', async () => {
    for (const headers of [{}, { 'accept-encoding': 'identity' }] as Record<string, string>[]) {
      const response = await get(`${server.httpUrl}${script}`, headers);
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.body.equals(original)).toBe(true);
    }
  });

  it('compresses the stylesheet too, and lets fonts go as they are', async () => {
    const html = await readFile(`${webRoot}index.html`, 'utf8');
    const stylesheet = /href="(\/assets\/index-[^"]+\.css)"/.exec(html)![1]!;
    const css = await get(`${server.httpUrl}${stylesheet}`, { 'accept-encoding': 'br' });
    expect(css.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(css.body).equals(await readFile(`${webRoot}${stylesheet.slice(1)}`))).toBe(true);
    const fontName = (await readdir(`${webRoot}assets`)).find((name) => name.endsWith('.woff2'));
    const font = await get(`${server.httpUrl}/assets/${fontName}`, { 'accept-encoding': 'br, gzip' });
    expect(font.status).toBe(200);
    expect(font.headers['content-encoding']).toBeUndefined();
    expect(font.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('asks the browser to check the page itself each time, so a new build is seen at once', async () => {
    const response = await get(`${server.httpUrl}/`, { accept: 'text/html', 'accept-encoding': 'br, gzip' });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body.toString()).toContain(script);
  });
});
