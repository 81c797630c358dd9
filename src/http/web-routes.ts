import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import type { SupabasePageConfig } from './page-settings.js';

export interface WebRoutesOptions {
  version: string;
  /** `token` when any auth setting is set: the page then asks for a sign-in. */
  authMode: 'open' | 'token';
  /** Offered to the page for Supabase's email sign-in (the anon key only, which is public). */
  supabase?: SupabasePageConfig | undefined;
}

/** Built by `npm run build:web`; resolves the same from src/http (tsx) and dist/http (node). */
export const webRoot = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Hashed names change with their content, so they never need asking again; anything else is checked each time. */
export function cacheControlFor(path: string): string {
  return /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * GET / answers a browser with the chat page and anything else with API metadata, which
 * tells the page whether it must sign in (`auth`); the page's hashed assets are served compressed and cached for good.
 */
export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, { version, authMode, supabase }) => {
  const auth = { mode: authMode, ...(supabase === undefined ? {} : { supabase: { url: supabase.url, anon_key: supabase.anon_key } }) };
  const indexPath = `${webRoot}index.html`;
  // Assets are registered when the server starts (npm start builds the page first); the
  // page itself is looked for on each request, so a later `npm run build:web` is served too.
  if (existsSync(indexPath)) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      index: false,
      wildcard: false,
      // The build writes .br and .gz copies (web/precompress-assets.ts): sent as they are, by Accept-Encoding.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, path) => void reply.header('cache-control', cacheControlFor(path)),
    });
  }

  app.get('/', { schema: { tags: ['web'], summary: 'The chat page (Accept: text/html) or API metadata' } }, async (request, reply) => {
    const wantsPage = (request.headers.accept ?? '').includes('text/html');
    if (wantsPage && existsSync(indexPath)) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(await readFile(indexPath));
    }
    return {
      name: 'Parley',
      version,
      description: 'Realtime conversational AI backend',
      websocket: '/ws/session/{session_id}',
      docs: '/docs',
      openapi: '/openapi.json',
      asyncapi: '/asyncapi.json',
      health: '/health',
      metrics: '/metrics',
      sessions: '/api/sessions',
      voice: '/api/voice',
      web_page: existsSync(indexPath) ? '/' : 'not built: run npm run build:web',
      auth,
    };
  });
};
