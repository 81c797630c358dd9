/** Refusals that another attempt with the same address and token cannot change. */
const finalRefusals = new Set(['bad_request', 'forbidden', 'not_found', 'session_deleted']);

export interface ClosedSocket {
  /** The close code and reason (the server names its refusals in the reason, after an `error` frame). */
  code: number;
  reason: string;
  /** The last `error` frame without `seq` the socket got, if any. */
  lastError: { code: string; message: string } | null;
  /** Token refusals since the last `session` frame. */
  unauthorizedInARow: number;
}

export type AfterClose =
  | { action: 'retry' }
  /** Ask for a newer token, and reconnect with it if there is one. */
  | { action: 'renew'; code: string; message: string }
  | { action: 'refuse'; code: string; message: string };

/**
 * What to do once a socket closes without the client asking: a refusal (1008 with its code)
 * ends the retries, a refused token is renewed once, anything else is retried with backoff.
 */
export function afterClose({ code, reason, lastError, unauthorizedInARow }: ClosedSocket): AfterClose {
  if (code !== 1008) return { action: 'retry' };
  const refusal = reason || lastError?.code || '';
  const message = lastError?.code === refusal ? lastError.message : '';
  if (refusal === 'unauthorized') return unauthorizedInARow > 1 ? { action: 'refuse', code: refusal, message } : { action: 'renew', code: refusal, message };
  if (finalRefusals.has(refusal)) return { action: 'refuse', code: refusal, message };
  return { action: 'retry' };
}
