import { useEffect } from 'preact/hooks';
import { pageAuth } from '../src/auth/page-auth-instance.js';
import { SignInView } from '../src/components/sign-in-view.js';
import { useAuthView } from '../src/components/use-auth-view.js';
import { Dashboard } from './dashboard.js';

/**
 * The dashboard once the page may talk to the server, else the chat page's own sign-in step:
 * one PageAuth, so a token the tab already holds (sessionStorage) serves both pages. Keyed by
 * who is signed in, so one user's figures never stay on screen for the next.
 */
export function DashboardGate() {
  const view = useAuthView(pageAuth);
  useEffect(() => {
    void pageAuth.start();
  }, []);
  if (view.kind === 'loading') return <p class="loading muted">Opening the dashboard…</p>;
  if (view.kind === 'signed-out') return <SignInView auth={pageAuth} reason={view.reason} emailSignIn={view.emailSignIn} />;
  return <Dashboard key={view.kind === 'signed-in' ? `user:${view.who}` : 'open'} who={view.kind === 'signed-in' ? view.who : null} />;
}
