import { createClient } from '@supabase/supabase-js';
import type { SupabaseSignIn } from './page-auth.js';
import { tabStorage } from './tab-storage.js';

/**
 * Supabase's email sign-in, loaded with import() only when the server offers it.
 * `onToken` hears every new access token (a sign-in, each refresh the client does before
 * expiry) and null when the session ends. The implicit flow puts the session in the link
 * itself, so a link opened in another tab signs that tab in: the PKCE flow would need a
 * verifier kept in the tab that asked for the link.
 */
export function startSupabaseSignIn(config: { url: string; anonKey: string }, onToken: (token: string | null) => void): SupabaseSignIn {
  const storage = tabStorage();
  const client = createClient(config.url, config.anonKey, {
    auth: {
      flowType: 'implicit',
      detectSessionInUrl: true,
      autoRefreshToken: true,
      persistSession: storage !== null,
      ...(storage === null ? {} : { storage }),
    },
  });
  // Called inside the client's lock: hand the token over and return, never await the client here.
  client.auth.onAuthStateChange((_event, session) => onToken(session?.access_token ?? null));

  return {
    async currentToken() {
      const { data } = await client.auth.getSession();
      return data.session?.access_token ?? null;
    },
    async sendLink(email, returnTo) {
      const { error } = await client.auth.signInWithOtp({ email, options: { emailRedirectTo: returnTo } });
      return error === null ? null : `The sign-in link could not be sent: ${error.message}`;
    },
    async refresh() {
      const { data, error } = await client.auth.refreshSession();
      return error === null ? (data.session?.access_token ?? null) : null;
    },
    async signOut() {
      // Local scope: signing out of this tab should not end the user's other devices.
      await client.auth.signOut({ scope: 'local' });
    },
  };
}
