import type { ConnectionStatus } from '../state/chat-state.js';

const words: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** The connection's state, always visible; screen readers hear changes. */
export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  return (
    <span class={`connection connection-${status}`} role="status" aria-live="polite" data-connection={status}>
      <span class="connection-dot" aria-hidden="true" />
      {words[status]}
    </span>
  );
}
