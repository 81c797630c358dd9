-- Files uploaded to sessions (src/files/). A file's bytes are kept once per owner and
-- content (owner_key, sha256), in 1 MiB chunks here or, with FILES_DIR, in a file named by
-- the content's hash; session_files says which session holds it under which id and name.
-- Deleting a session deletes its session_files rows, and contents nobody refers to any more
-- go with them, chunks included (the triggers below; FILES_DIR's files are swept by the server).

CREATE TABLE file_contents (
  owner_key      text NOT NULL,
  sha256         text NOT NULL,
  size           bigint NOT NULL,
  media_type     text NOT NULL,
  -- 'database' (file_chunks) or 'directory' (FILES_DIR).
  stored_in      text NOT NULL CHECK (stored_in IN ('database', 'directory')),
  -- A PDF's text, for models that cannot read PDFs.
  extracted_text text NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner_key, sha256)
);

-- Written before their file_contents row, each chunk in its own statement, so an upload never
-- holds the database in one long transaction (PGlite has one connection for everything).
-- Chunks are keyed by content, so writing them again is harmless; ones left without a row
-- (an upload that failed) are swept after an hour.
CREATE TABLE file_chunks (
  owner_key   text NOT NULL,
  sha256      text NOT NULL,
  chunk_index integer NOT NULL,
  data        bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner_key, sha256, chunk_index)
);

CREATE TABLE session_files (
  file_id    text PRIMARY KEY,
  session_id text NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
  owner_key  text NOT NULL,
  sha256     text NOT NULL,
  name       text NOT NULL,
  media_type text NOT NULL,
  size       bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (owner_key, sha256) REFERENCES file_contents (owner_key, sha256)
);

CREATE INDEX session_files_by_session ON session_files (session_id, created_at);
CREATE INDEX session_files_by_content ON session_files (owner_key, sha256);

CREATE FUNCTION parley_drop_unreferenced_file_content() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM file_contents
  WHERE owner_key = OLD.owner_key AND sha256 = OLD.sha256
    AND NOT EXISTS (SELECT FROM session_files WHERE owner_key = OLD.owner_key AND sha256 = OLD.sha256);
  RETURN NULL;
END;
$$;

CREATE TRIGGER session_files_drop_unreferenced_content
  AFTER DELETE ON session_files
  FOR EACH ROW EXECUTE FUNCTION parley_drop_unreferenced_file_content();

CREATE FUNCTION parley_drop_file_chunks() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM file_chunks WHERE owner_key = OLD.owner_key AND sha256 = OLD.sha256;
  RETURN NULL;
END;
$$;

CREATE TRIGGER file_contents_drop_chunks
  AFTER DELETE ON file_contents
  FOR EACH ROW EXECUTE FUNCTION parley_drop_file_chunks();

ALTER TABLE file_contents ENABLE ROW LEVEL SECURITY;
ALTER TABLE file_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_files ENABLE ROW LEVEL SECURITY;
