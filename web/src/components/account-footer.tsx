import type { AuthView } from '../auth/page-auth.js';

interface Props {
  view: Extract<AuthView, { kind: 'open' } | { kind: 'signed-in' }>;
  onSignOut: () => void;
}

/** The foot of the sessions panel: who is signed in and a way out, or which mode the server runs in. */
export function AccountFooter({ view, onSignOut }: Props) {
  if (view.kind === 'open') {
    return view.confirmed ? (
      <footer class="account" data-auth-mode="open">
        <p class="muted small">Local open mode: anyone on this machine can use it.</p>
      </footer>
    ) : null;
  }
  return (
    <footer class="account" data-auth-mode="token">
      <p class="small account-who">
        Signed in as <strong data-signed-in-as>{view.who}</strong>
      </p>
      <button type="button" class="button small" onClick={onSignOut}>Sign out</button>
    </footer>
  );
}
