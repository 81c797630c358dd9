-- Search (src/search/): full text on messages and titles, the words typos are corrected to,
-- and embeddings computed in the background. The English configuration stems ("running"
-- finds "run") and drops stop words; docs/architecture.md says why it was chosen.

-- Only user and assistant messages are searched; other events hold NULL here.
ALTER TABLE session_events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  CASE WHEN event_type IN ('user_message', 'assistant_message')
       THEN to_tsvector('english'::regconfig, COALESCE(content, '')) END
) STORED;
CREATE INDEX session_events_search ON session_events USING gin (search_vector);

ALTER TABLE sessions ADD COLUMN title_search_vector tsvector GENERATED ALWAYS AS (
  to_tsvector('english'::regconfig, COALESCE(title, ''))
) STORED;
CREATE INDEX sessions_title_search ON sessions USING gin (title_search_vector);

-- Messages the background indexer has still to read (words, embedding). A claim expires, so a
-- crashed instance's batch is taken again; a row goes once its batch is stored.
CREATE TABLE search_queue (
  event_id      bigint PRIMARY KEY REFERENCES session_events (id) ON DELETE CASCADE,
  claimed_until timestamptz NULL
);

-- One statement-level insert per batch the event writer stores: the write path gains a row
-- per message, no per-row trigger and no text work.
CREATE FUNCTION parley_queue_for_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_queue (event_id)
  SELECT id FROM inserted WHERE event_type IN ('user_message', 'assistant_message') AND content IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER session_events_queue_for_search
  AFTER INSERT ON session_events
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION parley_queue_for_search();

-- Messages stored before this migration are read too.
INSERT INTO search_queue (event_id)
SELECT id FROM session_events WHERE event_type IN ('user_message', 'assistant_message') AND content IS NOT NULL;

-- The words of each session's messages and title: typos are corrected to the nearest word
-- the caller's own sessions hold (pg_trgm), and go with the session when it is deleted.
CREATE TABLE search_words (
  session_id text NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
  word       text NOT NULL,
  PRIMARY KEY (session_id, word)
);

CREATE FUNCTION parley_title_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (session_id, word)
  SELECT NEW.session_id, word
  FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, COALESCE(NEW.title, '')))) AS word
  WHERE word ~ '^[[:alpha:]]{3,32}$'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER sessions_title_words
  AFTER INSERT OR UPDATE OF title ON sessions
  FOR EACH ROW WHEN (NEW.title IS NOT NULL) EXECUTE FUNCTION parley_title_words();

-- One vector per message and embedding model (vectors of two models cannot be compared).
-- real[] works everywhere; cosine is computed in SQL over unit vectors.
CREATE TABLE search_embeddings (
  event_id  bigint NOT NULL REFERENCES session_events (id) ON DELETE CASCADE,
  model     text NOT NULL,
  embedding real[] NOT NULL,
  PRIMARY KEY (event_id, model)
);
CREATE INDEX search_embeddings_by_model ON search_embeddings (model, event_id);

-- The embedding models whose vectors were requested for every message stored before they
-- were first used: a new model queues the whole history once.
CREATE TABLE search_models (
  model      text PRIMARY KEY,
  queued_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE search_queue ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_words ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_embeddings ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_models ENABLE ROW LEVEL SECURITY;

-- Typo tolerance needs pg_trgm (PGlite ships it; PostgreSQL's contrib package too). A role
-- that may not create extensions still gets search, without typos (/health says so); the
-- extension goes to `public` when there is one, so every schema of the database finds it.
DO $$
DECLARE
  home text;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_trgm') THEN
    BEGIN
      IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'public') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
      ELSE
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
      END IF;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pg_trgm is not available (%): search runs without typo tolerance', SQLERRM;
    END;
  END IF;
  SELECT extnamespace::regnamespace::text INTO home FROM pg_extension WHERE extname = 'pg_trgm';
  IF home IS NOT NULL THEN
    EXECUTE format('CREATE INDEX search_words_trigram ON search_words USING gin (word %s.gin_trgm_ops)', home);
  END IF;
END;
$$;

-- Where pgvector exists (Supabase has it), each vector is also kept as `vector` and compared
-- by its `<=>` operator. Not exercised by the tests: neither PGlite nor the test server has it.
DO $$
DECLARE
  home text;
BEGIN
  IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'vector') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS vector;
      SELECT extnamespace::regnamespace::text INTO home FROM pg_extension WHERE extname = 'vector';
      EXECUTE format('ALTER TABLE search_embeddings ADD COLUMN embedding_vector %s.vector GENERATED ALWAYS AS (embedding::%s.vector) STORED', home, home);
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pgvector could not be used (%): cosine is computed over real[]', SQLERRM;
    END;
  END IF;
END;
$$;
