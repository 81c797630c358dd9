import { fetchAuthConfig } from './auth-config.js';
import { checkToken } from './check-token.js';
import { PageAuth } from './page-auth.js';
import { takeTokenFromAddress } from '../session-address.js';
import { tabStorage } from './tab-storage.js';
import { TokenStore } from './token-store.js';

/** The page's one PageAuth: the socket and the API read their token from it. */
export const pageAuth = new PageAuth({
  tokens: new TokenStore(tabStorage()),
  tokenFromAddress: takeTokenFromAddress,
  fetchConfig: fetchAuthConfig,
  checkToken,
  // Its own chunk, fetched only when the server offers Supabase sign-in: the page stays small without it.
  loadSupabase: async (config, onToken) => (await import('./supabase-sign-in.js')).startSupabaseSignIn(config, onToken),
  returnAddress: () => {
    const url = new URL(location.href);
    url.hash = '';
    url.searchParams.delete('token');
    return url.href;
  },
});
