import { useEffect, useState } from 'preact/hooks';
import type { ChatState } from '../state/chat-state.js';

interface Props {
  state: Pick<ChatState, 'connection' | 'reconnectAt' | 'turns'>;
  onReconnectNow: () => void;
}

/**
 * While the connection is down: says that Parley reconnects by itself and when it tries next,
 * and that messages written meanwhile go out once it is back. A status, not an alert: the
 * reader is told, not interrupted. The ticking seconds are hidden from screen readers, which
 * would otherwise hear every second.
 */
export function ConnectionBanner({ state, onReconnectNow }: Props) {
  const down = state.connection === 'reconnecting' || state.connection === 'offline' || (state.connection === 'connecting' && state.reconnectAt !== null);
  const seconds = useSecondsUntil(down ? state.reconnectAt : null);
  const waiting = state.turns.filter((turn) => turn.user?.state === 'queued' || turn.user?.state === 'pending').length;
  return (
    <div class="connection-banner" role="status">
      {down ? (
        <>
          <span>
            {state.connection === 'offline' ? 'You are offline. Parley reconnects by itself when the network is back' : 'The connection was lost. Parley reconnects by itself'}
            {state.connection !== 'offline' && seconds !== null ? <span aria-hidden="true">{seconds > 0 ? ` (next try in ${seconds} s)` : ' (trying now)'}</span> : null}
            {'. '}
            {waiting === 0 ? 'Messages you send now go out then.' : `${waiting === 1 ? '1 message waits' : `${waiting} messages wait`} to be sent.`}
          </span>
          {state.connection === 'offline' ? null : (
            <button type="button" class="link-button" onClick={onReconnectNow}>Reconnect now</button>
          )}
        </>
      ) : null}
    </div>
  );
}

/** Whole seconds until `at`, counted down once a second; null without a time. */
function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (at === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
