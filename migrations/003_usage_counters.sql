-- Per-user usage counted in fixed windows (a minute of messages, a UTC day of model tokens),
-- so quotas hold across a user's sessions, restarts and instances (src/quotas/).

CREATE TABLE usage_counters (
  user_id      text NOT NULL,
  kind         text NOT NULL,
  window_start timestamptz NOT NULL,
  count        bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, kind, window_start)
);

-- Parley connects as the owner, which row level security does not restrict; any other role
-- (Supabase's Data API among them) sees no row. supabase/policies.sql also takes its grants back.
ALTER TABLE usage_counters ENABLE ROW LEVEL SECURITY;
