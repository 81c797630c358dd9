import type { SessionSummary } from '../api/sessions-api.js';
import { SessionItem } from './session-item.js';

interface Props {
  sessions: SessionSummary[];
  currentId: string;
  loading: boolean;
  failed: boolean;
  hasMore: boolean;
  onOpen: (sessionId: string) => void;
  onRename: (sessionId: string, title: string) => Promise<void>;
  onDelete: (sessionId: string) => Promise<void>;
  onMore: () => void;
}

/** Past sessions, newest first, by title; each opens in place (a real link for a new tab), and can be renamed or deleted. */
export function SessionList({ sessions, currentId, loading, failed, hasMore, onOpen, onRename, onDelete, onMore }: Props) {
  return (
    <nav class="session-list" aria-label="Sessions">
      {failed ? <p class="muted small">The sessions could not be loaded.</p> : null}
      {!failed && !loading && sessions.length === 0 ? <p class="muted small">No sessions yet.</p> : null}
      <ol>
        {sessions.map((session) => (
          <li key={session.session_id}>
            <SessionItem session={session} current={session.session_id === currentId} onOpen={onOpen} onRename={onRename} onDelete={onDelete} />
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
