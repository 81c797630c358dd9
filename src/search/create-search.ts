import type { TextEmbedder } from '../llm/text-embedder.js';
import type { Logger } from '../logging/logger.js';
import type { Database } from '../store/types.js';
import { readSearchCapabilities } from './search-capabilities.js';
import { defaultIndexerOptions, SearchIndexer } from './search-indexer.js';
import { SearchService } from './search-service.js';
import { createSearchStore } from './search-store.js';

export interface Search {
  service: SearchService;
  indexer: SearchIndexer;
}

/** Search over a migrated database, with what that database offers (pg_trgm, pgvector). */
export async function createSearch(
  database: Database,
  embedder: TextEmbedder | null,
  logger: Pick<Logger, 'warn'>,
  indexerOptions: Partial<typeof defaultIndexerOptions> = {},
): Promise<Search> {
  const capabilities = await readSearchCapabilities(database);
  const store = createSearchStore(database, capabilities);
  return {
    service: new SearchService(store, embedder, capabilities.trigramSchema !== null, logger),
    indexer: new SearchIndexer(store, embedder, { ...defaultIndexerOptions, ...indexerOptions, logger }),
  };
}
