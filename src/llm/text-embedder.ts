/**
 * Turns texts into vectors for search (src/search/). Vendor types stay behind this: the
 * search code sees numbers, a model id and whether a failure may pass if retried.
 */
export interface TextEmbedder {
  /** What /health reports as the semantic search mode. */
  readonly kind: 'builtin' | 'gemini' | 'openai';
  /** Stored with every vector: vectors of two models are never compared. */
  readonly model: string;
  /** Texts per call. */
  readonly batchSize: number;
  /** Below this cosine a stored message is not offered as a hit (each model spreads differently). */
  readonly minSimilarity: number;
  /** One unit-length vector per text, in order. `purpose` lets a provider embed queries apart from documents. */
  embed(texts: readonly string[], purpose: 'document' | 'query', signal?: AbortSignal): Promise<number[][]>;
  /** False for a failure that will repeat with the same texts (a 400, a refused key): retrying waits for nothing. */
  isRetryable(error: unknown): boolean;
}
