import { useEffect, useState } from 'preact/hooks';
import type { PageAuth } from '../auth/page-auth.js';
import { tokenExpiresAt } from '../auth/token-claims.js';
import { formatWait } from '../text/format.js';

/** How long before a pasted token's expiry the page asks for a new one. */
export const expiryWarningMs = 5 * 60_000;

/**
 * A pasted token cannot renew itself (a Supabase session does): shortly before it expires,
 * say so and take a new one in place, so the conversation goes on without a sign-in step.
 */
export function TokenExpiryNote({ auth }: { auth: PageAuth }) {
  const [now, setNow] = useState(Date.now);
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const credential = auth.credential;
  if (credential === null || credential.source === 'supabase') return null;
  const expiresAt = tokenExpiresAt(credential.token);
  if (expiresAt === null || expiresAt - now > expiryWarningMs) return null;

  const left = expiresAt - now;
  const submit = async (event: Event) => {
    event.preventDefault();
    const refusal = await auth.usePastedToken(pasted);
    setProblem(refusal);
    if (refusal === null) {
      setPasted('');
      setNow(Date.now());
    }
  };
  return (
    <div class="banner banner-warning expiry-note" data-token-expiry>
      <span role="status">
        {left > 0 ? `Your token expires in ${formatWait(left / 1000)}; paste a new one.` : 'Your token has expired; paste a new one.'}
        {problem ? <span class="expiry-problem"> {problem}</span> : null}
      </span>
      <form class="sign-in-row" onSubmit={(event) => void submit(event)}>
        <input type="password" aria-label="New access token" autocomplete="off" spellcheck={false} value={pasted} onInput={(event) => setPasted(event.currentTarget.value)} />
        <button type="submit" class="button small" disabled={pasted.trim() === ''}>Use it</button>
      </form>
    </div>
  );
}
