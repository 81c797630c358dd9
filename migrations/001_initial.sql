-- Parley's first schema: sessions and their ordered event log.

CREATE TABLE sessions (
  session_id      text PRIMARY KEY,
  user_id         text NULL,
  start_time      timestamptz NOT NULL DEFAULT now(),
  end_time        timestamptz NULL,
  is_active       boolean NOT NULL DEFAULT true,
  summary         text NULL,
  metadata        jsonb NOT NULL DEFAULT '{}',
  finalize_due_at timestamptz NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE session_events (
  id          bigserial PRIMARY KEY,
  session_id  text NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
  event_type  text NOT NULL,
  content     text NULL,
  metadata    jsonb NOT NULL DEFAULT '{}',
  seq         bigint NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The database keeps updated_at, so every writer (the app, a script, psql) gets it right.
CREATE FUNCTION parley_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER sessions_touch_updated_at
  BEFORE UPDATE ON sessions
  FOR EACH ROW EXECUTE FUNCTION parley_touch_updated_at();

-- loadEvents / listEvents: a session's events in (seq, id) order, keyset pages.
CREATE INDEX session_events_by_session_seq ON session_events (session_id, seq, id);

-- listSessions: newest first, keyset cursor on (start_time, session_id).
CREATE INDEX sessions_by_start_time ON sessions (start_time DESC, session_id DESC);

-- claimDueFinalizations: only sessions with a pending finalize are indexed.
CREATE INDEX sessions_finalize_due ON sessions (finalize_due_at) WHERE finalize_due_at IS NOT NULL;

-- listSessions filtered by user.
CREATE INDEX sessions_by_user ON sessions (user_id, start_time DESC, session_id DESC) WHERE user_id IS NOT NULL;

-- A client's retried message (same id) is stored once; appendEvents inserts with ON CONFLICT DO NOTHING.
CREATE UNIQUE INDEX session_events_unique_message_id
  ON session_events (session_id, (metadata->>'message_id'))
  WHERE event_type = 'user_message' AND metadata ? 'message_id';
