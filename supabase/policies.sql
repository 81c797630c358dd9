-- Row level security for Parley's tables in a Supabase project.
--
-- Parley itself connects with the project's connection string as the tables' owner, which
-- row level security does not restrict, so nothing here changes what the server sees. These
-- policies are for the project's other doors (the Data API / PostgREST, supabase-js): there a
-- signed-in user reads only their own sessions and events, as Parley's own API answers them,
-- and nobody writes. Apply after Parley's migrations, as the tables' owner:
--   psql "$DATABASE_URL" -f supabase/policies.sql
-- Running it again is harmless.
--
-- A session's owner is `sessions.user_id`, which Parley sets to the token's `sub`: for a
-- Supabase user that is `auth.uid()`, written as text.

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_events ENABLE ROW LEVEL SECURITY;
-- No policy: invisible through the Data API (usage_counters holds each user's quota counts,
-- which a user must not read for others nor reset for themselves).
ALTER TABLE schema_migrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_counters ENABLE ROW LEVEL SECURITY;

-- Supabase grants every table in `public` to anon and authenticated by default, TRUNCATE
-- included, and TRUNCATE ignores row level security: take the grants back and give only reads.
REVOKE ALL ON sessions, session_events, schema_migrations, usage_counters FROM anon, authenticated;
GRANT SELECT ON sessions, session_events TO authenticated;
-- Uploaded files: served only through Parley's own API, which checks the session's owner.
ALTER TABLE file_contents ENABLE ROW LEVEL SECURITY;
ALTER TABLE file_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_files ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON file_contents, file_chunks, session_files FROM anon, authenticated;

DROP POLICY IF EXISTS parley_sessions_read_own ON sessions;
CREATE POLICY parley_sessions_read_own ON sessions
  FOR SELECT TO authenticated
  -- (SELECT auth.uid()) runs once per statement, not once per row.
  USING (user_id = (SELECT auth.uid())::text);

DROP POLICY IF EXISTS parley_session_events_read_own ON session_events;
CREATE POLICY parley_session_events_read_own ON session_events
  FOR SELECT TO authenticated
  USING (
    EXISTS (
      SELECT 1 FROM sessions
      WHERE sessions.session_id = session_events.session_id
        AND sessions.user_id = (SELECT auth.uid())::text
    )
  );
