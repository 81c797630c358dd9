import { useEffect } from 'preact/hooks';
import { pageAuth } from '../auth/page-auth-instance.js';
import { App } from './app.js';
import { SignInView } from './sign-in-view.js';
import { useAuthView } from './use-auth-view.js';

/**
 * The chat once the page may talk to the server, else the sign-in step. Keyed by who is
 * signed in, so another user never sees the previous one's list or conversation; a
 * refreshed token for the same user keeps the chat as it is.
 */
export function AuthGate() {
  const view = useAuthView(pageAuth);
  useEffect(() => {
    void pageAuth.start();
  }, []);
  if (view.kind === 'loading') return <p class="loading muted">Opening Parley…</p>;
  if (view.kind === 'signed-out') return <SignInView auth={pageAuth} reason={view.reason} emailSignIn={view.emailSignIn} />;
  return <App key={view.kind === 'signed-in' ? `user:${view.who}` : 'open'} auth={pageAuth} view={view} />;
}
