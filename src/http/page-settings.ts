import { z } from 'zod';
import { optionalText } from '../setting-values.js';

/**
 * The chat page's own settings, as a shape to spread into config.ts's settings schema.
 * SUPABASE_ANON_KEY is public by design (Supabase meant it for browsers); a service-role key
 * must never be named here, since the page hands these to every visitor.
 */
export const pageSettingsShape = {
  /** A Supabase project's URL (https://<ref>.supabase.co): the page offers an email sign-in link through it. */
  SUPABASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional()),
  /** The project's anon (publishable) key, which the page's Supabase client sends. */
  SUPABASE_ANON_KEY: optionalText,
};

export const pageSettingsSchema = z.object(pageSettingsShape);

export type PageSettings = z.infer<typeof pageSettingsSchema>;

/** What the page needs for Supabase's email sign-in, or undefined unless both settings are set. */
export interface SupabasePageConfig {
  url: string;
  anon_key: string;
}

export function supabasePageConfig(settings: PageSettings): SupabasePageConfig | undefined {
  if (settings.SUPABASE_URL === undefined || settings.SUPABASE_ANON_KEY === undefined) return undefined;
  return { url: settings.SUPABASE_URL.replace(/\/+$/, ''), anon_key: settings.SUPABASE_ANON_KEY };
}
