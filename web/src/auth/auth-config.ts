/** What `GET /` (as JSON) tells the page about signing in (src/http/web-routes.ts). */
export interface AuthConfig {
  /** `open`: no auth setting on the server, which then serves only this machine. */
  mode: 'open' | 'token';
  /** Present when the server offers Supabase's email sign-in. */
  supabase?: { url: string; anonKey: string };
}

export function parseAuthConfig(body: unknown): AuthConfig | null {
  const auth = (body as { auth?: unknown } | null)?.auth as { mode?: unknown; supabase?: { url?: unknown; anon_key?: unknown } } | undefined;
  if (auth?.mode !== 'open' && auth?.mode !== 'token') return null;
  const { url, anon_key: anonKey } = auth.supabase ?? {};
  if (auth.mode === 'token' && typeof url === 'string' && URL.canParse(url) && typeof anonKey === 'string' && anonKey !== '') {
    return { mode: 'token', supabase: { url, anonKey } };
  }
  return { mode: auth.mode };
}

/** Null when the server does not say (an older server, a proxy in the way): the page then learns from refusals. */
export async function fetchAuthConfig(): Promise<AuthConfig | null> {
  try {
    const response = await fetch('/', { headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    return parseAuthConfig(await response.json());
  } catch {
    return null;
  }
}
