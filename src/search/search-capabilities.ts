import type { Queryable } from '../store/types.js';

/**
 * What the database offers search beyond full text, read once at start (after migrations):
 * where pg_trgm lives (null: no typo tolerance), and whether vectors are kept as pgvector's
 * `vector` too (migrations/005_search.sql adds that column only where the extension exists).
 * Schema names come back quoted as identifiers, ready to qualify the extensions' operators:
 * the search path need not include their schema.
 */
export interface SearchCapabilities {
  trigramSchema: string | null;
  vectorSchema: string | null;
}

export async function readSearchCapabilities(database: Queryable): Promise<SearchCapabilities> {
  const rows = await database.query<{ trigram_schema: string | null; vector_schema: string | null }>(
    `SELECT (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm') AS trigram_schema,
            CASE WHEN EXISTS (
              SELECT FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = 'search_embeddings' AND column_name = 'embedding_vector'
            ) THEN (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'vector') END AS vector_schema`,
  );
  return { trigramSchema: rows[0]?.trigram_schema ?? null, vectorSchema: rows[0]?.vector_schema ?? null };
}
