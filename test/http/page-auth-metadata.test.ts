import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSettingsSchema, supabasePageConfig } from '../../src/http/page-settings.js';
import { webRoutes } from '../../src/http/web-routes.js';
import { startServer, type RunningServer } from '../support/start-server.js';

const asJson = { accept: 'application/json' };

describe('GET / tells the page which mode runs', () => {
  let open: RunningServer;
  let guarded: RunningServer;
  beforeAll(async () => {
    open = await startServer();
    guarded = await startServer({ API_TOKEN: 'page-metadata-token-0123' });
  });
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
  });

  it('says open when no auth setting is set, and token when API_TOKEN is', async () => {
    expect((await open.app.inject({ url: '/', headers: asJson })).json().auth).toStrictEqual({ mode: 'open' });
    expect((await guarded.app.inject({ url: '/', headers: asJson })).json().auth).toStrictEqual({ mode: 'token' });
  });

  it('never shows the operator token in that answer', async () => {
    expect((await guarded.app.inject({ url: '/', headers: asJson })).body).not.toContain('page-metadata-token-0123');
  });
});

describe('the Supabase settings for the page', () => {
  it('offer the URL and the anon key to the page only when both are set', async () => {
    const both = supabasePageConfig(pageSettingsSchema.parse({ SUPABASE_URL: 'https://abc.supabase.co/', SUPABASE_ANON_KEY: 'anon-key' }));
    expect(both).toStrictEqual({ url: 'https://abc.supabase.co', anon_key: 'anon-key' });
    expect(supabasePageConfig(pageSettingsSchema.parse({ SUPABASE_URL: 'https://abc.supabase.co' }))).toBeUndefined();
    expect(supabasePageConfig(pageSettingsSchema.parse({ SUPABASE_ANON_KEY: 'anon-key', SUPABASE_URL: '' }))).toBeUndefined();

    const app = Fastify();
    await app.register(webRoutes, { version: '0.0.0', authMode: 'token', supabase: both });
    const response = await app.inject({ url: '/', headers: asJson });
    expect(response.json().auth).toStrictEqual({ mode: 'token', supabase: { url: 'https://abc.supabase.co', anon_key: 'anon-key' } });
    await app.close();
  });

  it('refuse a SUPABASE_URL that is not an http(s) URL', () => {
    expect(pageSettingsSchema.safeParse({ SUPABASE_URL: 'abc.supabase.co' }).success).toBe(false);
    expect(pageSettingsSchema.safeParse({ SUPABASE_URL: 'ftp://abc.supabase.co' }).success).toBe(false);
  });
});
