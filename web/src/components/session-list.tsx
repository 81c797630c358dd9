import type { SessionSummary } from '../api/sessions-api.js';
import { formatDuration, formatWhen, plural } from '../text/format.js';

interface Props {
  sessions: SessionSummary[];
  currentId: string;
  loading: boolean;
  failed: boolean;
  hasMore: boolean;
  onOpen: (sessionId: string) => void;
  onMore: () => void;
}

/** Past sessions, newest first; each opens in place and keeps a real link for a new tab. */
export function SessionList({ sessions, currentId, loading, failed, hasMore, onOpen, onMore }: Props) {
  return (
    <nav class="session-list" aria-label="Sessions">
      {failed ? <p class="muted small">The sessions could not be loaded.</p> : null}
      {!failed && !loading && sessions.length === 0 ? <p class="muted small">No sessions yet.</p> : null}
      <ol>
        {sessions.map((session) => (
          <li key={session.session_id}>
            <a
              href={`/?session=${encodeURIComponent(session.session_id)}`}
              class="session-item"
              aria-current={session.session_id === currentId ? 'page' : undefined}
              data-session-id={session.session_id}
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                onOpen(session.session_id);
              }}
            >
              <span class="session-summary">{session.summary ?? (session.is_active ? 'Conversation in progress' : 'No summary')}</span>
              <span class="session-meta">
                <time dateTime={session.start_time}>{formatWhen(session.start_time)}</time>
                {sessionLength(session)}
                {session.is_active ? <span class="live-dot" title="Active">active</span> : null}
              </span>
            </a>
          </li>
        ))}
      </ol>
      {hasMore ? (
        <button type="button" class="button small more" onClick={onMore} disabled={loading}>
          {loading ? 'Loading…' : 'Older sessions'}
        </button>
      ) : null}
    </nav>
  );
}

function sessionLength(session: SessionSummary): string {
  const parts: string[] = [];
  const { duration_seconds: seconds, message_count: messages } = session.metadata;
  if (typeof seconds === 'number') parts.push(formatDuration(seconds * 1000));
  if (typeof messages === 'number') parts.push(plural(messages, 'message', 'messages'));
  return parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
}
