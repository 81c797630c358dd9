import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { pageSettingsSchema, supabasePageConfig } from '../../src/http/page-settings.js';
import { webRoutes } from '../../src/http/web-routes.js';

const asJson = { accept: 'application/json' };

describe('the Supabase settings for the page', () => {
  it('offer the URL and the anon key to the page only when both are set', async () => {
    const both = supabasePageConfig(pageSettingsSchema.parse({ SUPABASE_URL: 'https://abc.supabase.co/', SUPABASE_ANON_KEY: 'anon-key' }));
    expect(both).toStrictEqual({ url: 'https://abc.supabase.co', anon_key: 'anon-key' });
    expect(supabasePageConfig(pageSettingsSchema.parse({ SUPABASE_URL: 'https://abc.supabase.co' }))).toBeUndefined();
    expect(supabasePageConfig(pageSettingsSchema.parse({ SUPABASE_ANON_KEY: 'anon-key', SUPABASE_URL: '' }))).toBeUndefined();

    const app = Fastify();
    await app.register(webRoutes, { version: '0.0.0', authMode: 'token', supabase: both });
    const response = await app.inject({ url: '/', headers: asJson });
    expect(response.json<{ auth: unknown }>().auth).toStrictEqual({ mode: 'token', supabase: { url: 'https://abc.supabase.co', anon_key: 'anon-key' } });
    await app.close();
  });

  it('refuse a SUPABASE_URL that is not an http(s) URL', () => {
    expect(pageSettingsSchema.safeParse({ SUPABASE_URL: 'abc.supabase.co' }).success).toBe(false);
    expect(pageSettingsSchema.safeParse({ SUPABASE_URL: 'ftp://abc.supabase.co' }).success).toBe(false);
  });
});
