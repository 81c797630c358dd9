-- The model a session's user picked (issue 15, LLM_MODELS), as `provider:model`; null: the
-- server's default. Kept on the row so the pick survives reloads, restarts and other instances.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS model text;
