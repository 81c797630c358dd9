import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';
import { precompressAssets } from './precompress-assets.js';

/** Builds the dashboard after the chat page, as a page of its own (web/dashboard/vite.config.ts). */
const dashboard: Plugin = {
  name: 'parley-dashboard',
  apply: 'build',
  async closeBundle() {
    await build({ configFile: fileURLToPath(new URL('dashboard/vite.config.ts', import.meta.url)) });
  },
};

/**
 * Brotli and gzip copies of the built assets, for the server to send as they are. Runs last,
 * once the dashboard is built too (`sequential`: after every other closeBundle hook).
 */
const precompress: Plugin = {
  name: 'parley-precompress',
  apply: 'build',
  closeBundle: {
    order: 'post',
    sequential: true,
    async handler() {
      await precompressAssets(fileURLToPath(new URL('../dist/web/', import.meta.url)));
    },
  },
};

/** The chat page: built from web/ into dist/web/, which the server serves (src/http/web-routes.ts). */
export default defineConfig({
  plugins: [dashboard, precompress],
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // The page's CSP allows fonts from 'self' only: KaTeX's small fonts stay files, not data: URLs.
    assetsInlineLimit: (file) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
  },
  server: {
    // `npx vite --config web/vite.config.ts` against a server running on the default port.
    proxy: {
      // GET / as JSON tells the page whether to sign in; as HTML it is Vite's own page.
      '^/$': {
        target: 'http://127.0.0.1:8000',
        bypass: (request) => ((request.headers.accept ?? '').includes('application/json') ? undefined : request.url),
      },
      '/api': 'http://127.0.0.1:8000',
      '/health': 'http://127.0.0.1:8000',
      '/ws': { target: 'ws://127.0.0.1:8000', ws: true },
    },
  },
});
