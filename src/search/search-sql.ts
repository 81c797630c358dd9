/**
 * The SQL of search, one text for PGlite and PostgreSQL. `$owner` null: every session (an
 * operator, the open mode); else that user's sessions only. Extensions' names are qualified
 * with the schema they were found in (search-capabilities.ts).
 */

/** English: stems ("running" finds "run") and drops stop words; the migration indexes with it. */
export const textSearchConfig = 'english';

/** Sessions the caller may search: `$n` is the owner, or null for all. */
const ownedBy = (parameter: number) => `($${parameter}::text IS NULL OR s.user_id = $${parameter}::text)`;

/**
 * Messages and titles matching `$1` (websearch syntax), best first: ts_rank_cd normalized by
 * the log of the text's length, so a short message that is about the words outranks a long
 * one that mentions them. A title hit points at the session's first event, and only stands
 * for sessions none of whose messages matched: a generated title repeats the first message.
 */
export const fullTextHitsSql = `WITH query AS (SELECT websearch_to_tsquery('${textSearchConfig}', $1) AS q)
  SELECT * FROM (
    SELECT e.session_id, e.seq, e.event_type, e.created_at, s.title, e.id AS event_id,
           ts_rank_cd(e.search_vector, query.q, 1) AS rank
    FROM query, session_events e JOIN sessions s ON s.session_id = e.session_id
    WHERE e.search_vector @@ query.q AND ${ownedBy(2)}
    UNION ALL
    SELECT s.session_id, COALESCE((SELECT min(f.seq) FROM session_events f WHERE f.session_id = s.session_id), 0),
           'title', s.start_time, s.title, NULL, ts_rank_cd(s.title_search_vector, query.q, 1)
    FROM query, sessions s
    WHERE s.title_search_vector @@ query.q AND ${ownedBy(2)}
      AND NOT EXISTS (SELECT 1 FROM session_events m WHERE m.session_id = s.session_id AND m.search_vector @@ query.q)
  ) AS hits
  ORDER BY rank DESC, created_at DESC, session_id, seq
  LIMIT $3`;

/**
 * For each word of `$1` (a JSON array), the most similar word of the caller's sessions
 * (pg_trgm's `%`: trigram similarity of at least 0.3); a word that is there finds itself.
 */
export const correctionsSql = (trigram: string) => `SELECT query.word, best.word AS correction
  FROM jsonb_array_elements_text($1::text::jsonb) AS query(word)
  CROSS JOIN LATERAL (
    SELECT w.word FROM search_words w JOIN sessions s ON s.session_id = w.session_id
    WHERE w.word OPERATOR(${trigram}.%) query.word AND ${ownedBy(2)}
    ORDER BY ${trigram}.similarity(w.word, query.word) DESC, w.word
    LIMIT 1
  ) AS best`;

/**
 * Messages nearest to the vector `$1` (unit length, as text `{...}`) among model `$2`'s,
 * at least `$4` similar. Over real[] the cosine is a dot product in SQL; with pgvector it is
 * its `<=>` cosine distance, computed in C.
 */
export const semanticHitsSql = (vector: string | null) => {
  const similarity = vector === null
    ? `(SELECT sum(a * b) FROM unnest(m.embedding, $1::text::real[]) AS pair(a, b))`
    : `1 - (m.embedding_vector OPERATOR(${vector}.<=>) ($1::text::real[])::${vector}.vector)`;
  return `SELECT * FROM (
    SELECT e.session_id, e.seq, e.event_type, e.created_at, s.title, e.id AS event_id, ${similarity} AS rank
    FROM search_embeddings m
    JOIN session_events e ON e.id = m.event_id
    JOIN sessions s ON s.session_id = e.session_id
    WHERE m.model = $2 AND ${ownedBy(3)}
  ) AS scored
  WHERE rank >= $4
  ORDER BY rank DESC, created_at DESC, session_id, seq
  LIMIT $5`;
};

/** A message this short is its own snippet, whole; a longer one is cut around what matched. */
const wholeSnippetChars = 240;

/** HTML-escapes a text expression in SQL, so that ts_headline's marks are its only markup. */
const escapedHtml = (text: string) =>
  `replace(replace(replace(replace(replace(${text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`;

/**
 * Snippets for one page of hits (`$3`: JSON [{position, event_id, session_id}]), the words of
 * `$1` and `$2` (the query and its typo-corrected form) marked. ts_headline runs on the
 * escaped text with `<mark>` and `</mark>` as its marks: the text can hold no `<` any more,
 * so every tag in a snippet is one of those, and a message's own HTML (even `</mark>`) is
 * text. A hit that matched by meaning alone gets the text's start, unmarked.
 */
export const snippetsSql = `WITH query AS (
    SELECT websearch_to_tsquery('${textSearchConfig}', $1) || websearch_to_tsquery('${textSearchConfig}', $2) AS q
  ),
  page AS (SELECT * FROM jsonb_to_recordset($3::text::jsonb) AS page(position int, event_id int8, session_id text))
  SELECT page.position,
         ts_headline('${textSearchConfig}', ${escapedHtml('hit.text')}, query.q,
                     CASE WHEN length(hit.text) <= ${wholeSnippetChars} THEN 'StartSel=<mark>, StopSel=</mark>, HighlightAll=true'
                          ELSE 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15' END) AS snippet
  FROM page CROSS JOIN query
  LEFT JOIN session_events e ON e.id = page.event_id
  LEFT JOIN sessions s ON s.session_id = page.session_id
  CROSS JOIN LATERAL (SELECT COALESCE(e.content, s.title, '') AS text) AS hit`;

/** The indexer's next batch: queued messages nobody holds, claimed for `$2` seconds. */
export const claimBatchSql = `WITH claimed AS (
    UPDATE search_queue SET claimed_until = now() + make_interval(secs => $2)
    WHERE event_id IN (
      SELECT event_id FROM search_queue
      WHERE claimed_until IS NULL OR claimed_until < now()
      ORDER BY event_id
      LIMIT $1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING event_id
  )
  SELECT e.id AS event_id, e.content FROM claimed JOIN session_events e ON e.id = claimed.event_id
  ORDER BY e.id`;

/**
 * A read batch stored in one statement: its sessions' words (for typo correction), its
 * vectors under model `$3` (`$2`: JSON [{event_id, embedding}], maybe empty), and its queue
 * rows gone. Vectors of messages deleted meanwhile are dropped, not refused.
 */
export const storeBatchSql = `WITH batch AS (SELECT value::int8 AS event_id FROM jsonb_array_elements_text($1::text::jsonb)),
  vectors AS (SELECT * FROM jsonb_to_recordset($2::text::jsonb) AS vector(event_id int8, embedding real[])),
  words AS (
    INSERT INTO search_words (session_id, word)
    SELECT DISTINCT e.session_id, word
    FROM session_events e CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', COALESCE(e.content, '')))) AS word
    WHERE e.id IN (SELECT event_id FROM batch) AND word ~ '^[[:alpha:]]{3,32}$'
    ON CONFLICT DO NOTHING
  ),
  stored AS (
    INSERT INTO search_embeddings (event_id, model, embedding)
    SELECT vectors.event_id, $3, vectors.embedding FROM vectors
    WHERE EXISTS (SELECT FROM session_events e WHERE e.id = vectors.event_id)
    ON CONFLICT (event_id, model) DO UPDATE SET embedding = EXCLUDED.embedding
  )
  DELETE FROM search_queue WHERE event_id IN (SELECT event_id FROM batch)`;

/**
 * A model used for the first time queues every stored message it has no vector for, once
 * (whichever instance records the model first does it).
 */
export const queueModelSql = `WITH first_use AS (
    INSERT INTO search_models (model) VALUES ($1) ON CONFLICT DO NOTHING RETURNING model
  )
  INSERT INTO search_queue (event_id)
  SELECT e.id FROM session_events e, first_use
  WHERE e.event_type IN ('user_message', 'assistant_message') AND e.content IS NOT NULL
    AND NOT EXISTS (SELECT FROM search_embeddings m WHERE m.event_id = e.id AND m.model = $1)
  ON CONFLICT DO NOTHING`;
