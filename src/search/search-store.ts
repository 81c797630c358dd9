import type { Database } from '../store/types.js';
import type { SearchCapabilities } from './search-capabilities.js';
import {
  claimBatchSql,
  correctionsSql,
  fullTextHitsSql,
  queueModelSql,
  semanticHitsSql,
  snippetsSql,
  storeBatchSql,
} from './search-sql.js';

/** A message or title that matched, before its snippet is made. */
export interface RankedHit {
  session_id: string;
  seq: number;
  event_type: 'user_message' | 'assistant_message' | 'title';
  created_at: string;
  title: string | null;
  /** Null for a title hit. */
  event_id: number | null;
}

/** Null: every session; else that user's only. */
export type SearchOwner = string | null;

export interface QueuedMessage {
  event_id: number;
  content: string;
}

/** Search's queries over one database (search-sql.ts holds their text). */
export interface SearchStore {
  fullText(query: string, owner: SearchOwner, limit: number): Promise<RankedHit[]>;
  /** Each word's nearest word in the owner's sessions; words with none are left out. Needs pg_trgm. */
  corrections(words: readonly string[], owner: SearchOwner): Promise<Map<string, string>>;
  semantic(vector: readonly number[], model: string, owner: SearchOwner, minSimilarity: number, limit: number): Promise<RankedHit[]>;
  snippets(query: string, correctedQuery: string, hits: readonly RankedHit[]): Promise<string[]>;
  claimBatch(limit: number, leaseSeconds: number): Promise<QueuedMessage[]>;
  storeBatch(eventIds: readonly number[], model: string, vectors: ReadonlyArray<{ event_id: number; embedding: readonly number[] }>): Promise<void>;
  queueModel(model: string): Promise<void>;
}

export function createSearchStore(database: Database, capabilities: SearchCapabilities): SearchStore {
  const semanticSql = semanticHitsSql(capabilities.vectorSchema);
  const trigramSql = capabilities.trigramSchema === null ? null : correctionsSql(capabilities.trigramSchema);
  return {
    async fullText(query, owner, limit) {
      return (await database.query(fullTextHitsSql, [query, owner, limit])).map(toRankedHit);
    },

    async corrections(words, owner) {
      if (trigramSql === null || words.length === 0) return new Map();
      const rows = await database.query<{ word: string; correction: string }>(trigramSql, [JSON.stringify(words), owner]);
      return new Map(rows.map((row) => [row.word, row.correction]));
    },

    async semantic(vector, model, owner, minSimilarity, limit) {
      const rows = await database.query(semanticSql, [toArrayLiteral(vector), model, owner, minSimilarity, limit]);
      return rows.map(toRankedHit);
    },

    async snippets(query, correctedQuery, hits) {
      const page = hits.map((hit, position) => ({ position, event_id: hit.event_id, session_id: hit.session_id }));
      const rows = await database.query<{ position: number; snippet: string }>(snippetsSql, [query, correctedQuery, JSON.stringify(page)]);
      const snippets = new Array<string>(hits.length).fill('');
      for (const row of rows) snippets[Number(row.position)] = row.snippet;
      return snippets;
    },

    async claimBatch(limit, leaseSeconds) {
      const rows = await database.query<{ event_id: number; content: string | null }>(claimBatchSql, [limit, leaseSeconds]);
      return rows.map((row) => ({ event_id: Number(row.event_id), content: row.content ?? '' }));
    },

    async storeBatch(eventIds, model, vectors) {
      const stored = vectors.map((vector) => ({ event_id: vector.event_id, embedding: vector.embedding.map(shortFloat) }));
      await database.query(storeBatchSql, [JSON.stringify(eventIds), JSON.stringify(stored), model]);
    },

    async queueModel(model) {
      await database.query(queueModelSql, [model]);
    },
  };
}

function toRankedHit(row: Record<string, unknown>): RankedHit {
  return {
    session_id: String(row.session_id),
    seq: Number(row.seq),
    event_type: String(row.event_type) as RankedHit['event_type'],
    created_at: (row.created_at instanceof Date ? row.created_at : new Date(String(row.created_at))).toISOString(),
    title: typeof row.title === 'string' ? row.title : null,
    event_id: row.event_id == null ? null : Number(row.event_id),
  };
}

/** `real` keeps about 7 digits: more in the JSON would only make it longer. */
function shortFloat(value: number): number {
  return Number(value.toPrecision(7));
}

function toArrayLiteral(vector: readonly number[]): string {
  return `{${vector.map(shortFloat).join(',')}}`;
}
