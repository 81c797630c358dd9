import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { listSessions, type SessionSummary } from '../api/sessions-api.js';

export interface SessionListState {
  sessions: SessionSummary[];
  loading: boolean;
  failed: boolean;
  hasMore: boolean;
  refresh: () => void;
  more: () => void;
}

/** The first page of sessions, refreshed on demand, with older pages appended. */
export function useSessionList(): SessionListState {
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  const cursor = useRef<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const generation = useRef(0);

  const refresh = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    listSessions().then(
      (page) => {
        if (mine !== generation.current) return;
        setSessions(page.sessions);
        cursor.current = page.next_cursor;
        setHasMore(page.next_cursor !== null);
        setFailed(false);
        setLoading(false);
      },
      () => {
        if (mine !== generation.current) return;
        setFailed(true);
        setLoading(false);
      },
    );
  }, []);

  const more = useCallback(() => {
    if (!cursor.current) return;
    const mine = ++generation.current;
    setLoading(true);
    listSessions(cursor.current).then(
      (page) => {
        if (mine !== generation.current) return;
        setSessions((known) => [...known, ...page.sessions.filter((session) => !known.some((seen) => seen.session_id === session.session_id))]);
        cursor.current = page.next_cursor;
        setHasMore(page.next_cursor !== null);
        setLoading(false);
      },
      () => mine === generation.current && setLoading(false),
    );
  }, []);

  useEffect(refresh, [refresh]);
  return { sessions, loading, failed, hasMore, refresh, more };
}
