import type { TextEmbedder } from '../llm/text-embedder.js';
import { builtinEmbedding, builtinEmbeddingModel } from './builtin-embedding.js';

/** The built-in embedding as an embedder: in process, never failing, no network. */
export const builtinEmbedder: TextEmbedder = {
  kind: 'builtin',
  model: builtinEmbeddingModel,
  batchSize: 64,
  minSimilarity: 0.3,
  embed: (texts) => Promise.resolve(texts.map(builtinEmbedding)),
  isRetryable: () => false,
};
