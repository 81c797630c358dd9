import { useState } from 'preact/hooks';
import type { PageAuth } from '../auth/page-auth.js';

interface Props {
  auth: PageAuth;
  /** Why the page asks again (the server's refusal in words); null on a first visit. */
  reason: string | null;
  /** The server offers Supabase's email sign-in. */
  emailSignIn: boolean;
}

type LinkState = { kind: 'idle' } | { kind: 'sending' } | { kind: 'sent'; email: string } | { kind: 'failed'; words: string };

/** The sign-in step: an emailed link when the server offers one, and always a pasted token. */
export function SignInView({ auth, reason, emailSignIn }: Props) {
  const [token, setToken] = useState('');
  const [checking, setChecking] = useState(false);
  const [tokenProblem, setTokenProblem] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [link, setLink] = useState<LinkState>({ kind: 'idle' });

  const submitToken = async (event: Event) => {
    event.preventDefault();
    setChecking(true);
    setTokenProblem(null);
    const problem = await auth.usePastedToken(token);
    // Accepted: the page switches to the chat and this view goes away.
    if (problem !== null) {
      setTokenProblem(problem);
      setChecking(false);
    }
  };

  const submitEmail = async (event: Event) => {
    event.preventDefault();
    setLink({ kind: 'sending' });
    const problem = await auth.sendSignInLink(email);
    setLink(problem === null ? { kind: 'sent', email: email.trim() } : { kind: 'failed', words: problem });
  };

  const tokenForm = (
    <form class="sign-in-form" onSubmit={(event) => void submitToken(event)}>
      <label for="sign-in-token">Access token</label>
      <div class="sign-in-row">
        <input
          id="sign-in-token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
          aria-describedby="sign-in-token-hint"
          aria-invalid={tokenProblem !== null}
        />
        <button type="submit" class="button primary" disabled={checking || token.trim() === ''}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </div>
      <p id="sign-in-token-hint" class="muted small">The operator's API token, or a token your identity provider gave you.</p>
      {tokenProblem ? <p class="sign-in-problem" role="alert" data-sign-in-problem="token">{tokenProblem}</p> : null}
    </form>
  );

  return (
    <main class="sign-in" aria-labelledby="sign-in-title">
      <div class="sign-in-card">
        <p class="brand"><span class="brand-mark" aria-hidden="true">◆</span> Parley</p>
        <h1 id="sign-in-title">Sign in</h1>
        <p class="muted">This server needs to know who you are before you chat. Your token stays in this tab only.</p>
        {reason ? <p class="sign-in-problem" role="alert" data-sign-in-problem="reason">{reason}</p> : null}
        {emailSignIn ? (
          <>
            <form class="sign-in-form" onSubmit={(event) => void submitEmail(event)}>
              <label for="sign-in-email">Email</label>
              <div class="sign-in-row">
                <input
                  id="sign-in-email"
                  type="email"
                  autocomplete="email"
                  required
                  value={email}
                  onInput={(event) => setEmail(event.currentTarget.value)}
                />
                <button type="submit" class="button primary" disabled={link.kind === 'sending' || email.trim() === ''}>
                  {link.kind === 'sending' ? 'Sending…' : 'Email me a link'}
                </button>
              </div>
              {link.kind === 'sent' ? (
                <p class="sign-in-sent" role="status">A sign-in link is on its way to {link.email}. Open it in this browser to continue.</p>
              ) : null}
              {link.kind === 'failed' ? <p class="sign-in-problem" role="alert" data-sign-in-problem="email">{link.words}</p> : null}
            </form>
            <details class="sign-in-other">
              <summary>Sign in with a token instead</summary>
              {tokenForm}
            </details>
          </>
        ) : (
          tokenForm
        )}
      </div>
    </main>
  );
}
