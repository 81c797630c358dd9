-- Seq numbers survive a crash, and so does most of the answer that was being written.

-- A session hands out seqs in blocks stored here first (like a sequence's cache), so after a
-- crash numbering resumes above every seq a client may have seen.
ALTER TABLE sessions ADD COLUMN seq_reserved_through bigint NOT NULL DEFAULT 0;

-- The answer of the turn in progress, saved every few seconds; one row per session, since one
-- turn runs at a time. The turn's own assistant_message replaces it; a row still here at
-- start-up belongs to a turn a crash cut short and becomes an `interrupted` assistant_message.
CREATE TABLE turn_checkpoints (
  session_id  text PRIMARY KEY REFERENCES sessions (session_id) ON DELETE CASCADE,
  -- The seq of the turn's user message (its ack).
  turn_seq    bigint NOT NULL,
  content     text NOT NULL,
  -- The assistant_message's metadata as it would be if the turn stopped here.
  metadata    jsonb NOT NULL DEFAULT '{}',
  updated_at  timestamptz NOT NULL DEFAULT now()
);
