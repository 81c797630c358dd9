import { ParleyError } from '../errors/index.js';
import type { TextEmbedder } from '../llm/text-embedder.js';
import type { Logger } from '../logging/logger.js';
import { correctableWords, correctQuery } from './correct-query.js';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.js';
import { encodeSearchCursor, maxSearchDepth } from './search-cursor.js';
import type { RankedHit, SearchOwner, SearchStore } from './search-store.js';
import { searchableWords } from './searchable-words.js';

/** Which search modes run (GET /health `search`). */
export interface SearchModes {
  full_text: true;
  trigram: boolean;
  semantic: TextEmbedder['kind'] | false;
}

export interface SearchRequest {
  query: string;
  owner: SearchOwner;
  limit: number;
  offset: number;
}

export interface SearchHit {
  session_id: string;
  seq: number;
  event_type: RankedHit['event_type'];
  title: string | null;
  created_at: string;
  /** HTML: the text escaped, the matched words in `<mark>`. */
  snippet: string;
}

export interface SearchPage {
  hits: SearchHit[];
  next_cursor: string | null;
}

/** How long a query's own embedding may take before the search goes on without meaning. */
const queryEmbeddingTimeoutMs = 3_000;

/**
 * One search: full text on the query, full text on its typo-corrected form (pg_trgm), and
 * the nearest messages by meaning, fused by reciprocal rank; snippets only for the page
 * shown. A ranking that fails by meaning (the provider is down) is left out, not fatal.
 */
export class SearchService {
  constructor(
    private readonly store: SearchStore,
    private readonly embedder: TextEmbedder | null,
    private readonly trigram: boolean,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  get modes(): SearchModes {
    return { full_text: true, trigram: this.trigram, semantic: this.embedder?.kind ?? false };
  }

  async search({ query, owner, limit, offset }: SearchRequest): Promise<SearchPage> {
    const words = searchableWords(query);
    if (words.length === 0) {
      throw new ParleyError('bad_request', 'The query has no word to look for: operators (quotes, -, OR) need words with them.');
    }
    // One more than the page: whether a next page exists.
    const depth = Math.min(offset + limit + 1, maxSearchDepth + 1);
    const [exact, corrected, meaning] = await Promise.all([
      this.store.fullText(query, owner, depth),
      this.#corrected(query, words, owner, depth),
      this.#byMeaning(query, owner, depth),
    ]);
    const fused = reciprocalRankFusion([exact, corrected.hits, meaning], hitKey);
    const page = fused.slice(offset, offset + limit);
    const snippets = page.length === 0 ? [] : await this.store.snippets(query, corrected.query, page);
    const next = offset + limit;
    return {
      hits: page.map((hit, index) => ({
        session_id: hit.session_id,
        seq: hit.seq,
        event_type: hit.event_type,
        title: hit.title,
        created_at: hit.created_at,
        snippet: snippets[index] ?? '',
      })),
      next_cursor: fused.length > next && next < maxSearchDepth ? encodeSearchCursor(next) : null,
    };
  }

  async #corrected(query: string, words: readonly string[], owner: SearchOwner, depth: number): Promise<{ query: string; hits: RankedHit[] }> {
    if (!this.trigram) return { query, hits: [] };
    const corrections = await this.store.corrections(correctableWords(words), owner);
    const corrected = correctQuery(query, corrections);
    if (corrected.toLowerCase() === query.toLowerCase()) return { query, hits: [] };
    return { query: corrected, hits: await this.store.fullText(corrected, owner, depth) };
  }

  async #byMeaning(query: string, owner: SearchOwner, depth: number): Promise<RankedHit[]> {
    const embedder = this.embedder;
    if (embedder === null) return [];
    let vector: number[] | undefined;
    try {
      [vector] = await embedder.embed([query], 'query', AbortSignal.timeout(queryEmbeddingTimeoutMs));
    } catch (error) {
      this.logger.warn({ err: error }, 'the query could not be embedded; searching without meaning');
      return [];
    }
    if (vector === undefined) return [];
    return this.store.semantic(vector, embedder.model, owner, embedder.minSimilarity, depth);
  }
}

function hitKey(hit: RankedHit): string {
  return hit.event_id === null ? `title:${hit.session_id}` : `event:${hit.event_id}`;
}
