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

/**
 * GET / answers a browser with the chat page and anything else with API metadata, which
 * tells the page whether it must sign in (`auth`); the page's hashed assets are served long-cached.
 */
export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, { version, authMode, supabase }) => {
  const auth = { mode: authMode, ...(supabase === undefined ? {} : { supabase: { url: supabase.url, anon_key: supabase.anon_key } }) };
  const indexPath = `${webRoot}index.html`;
  // Assets are registered when the server starts (npm start builds the page first); the
  // page itself is looked for on each request, so a later `npm run build:web` is served too.
  if (existsSync(indexPath)) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', index: false, wildcard: false, maxAge: '1h' });
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
