import { toUnitLength } from '../stats/to-unit-length.js';

/** Dimensions of the built-in embedding: small enough to compare in SQL over real[]. */
export const builtinEmbeddingDimensions = 256;

/** The id stored with its vectors: a change to the function must change the id. */
export const builtinEmbeddingModel = 'parley-char-ngrams-256-v1';

/**
 * The embedding that needs no provider (the offline default): each word's character 3- and
 * 4-grams, with the word's edges marked, hashed into 256 signed buckets (the hashing trick),
 * then scaled to unit length so a dot product is the cosine. It knows spelling, not meaning:
 * "telescope" is near "telescopes" and "telescopic", "photosynthesis" near "photosynthetic",
 * which is what a search with no model can offer beyond stemming. Empty text gives zeros.
 */
export function builtinEmbedding(text: string): number[] {
  const vector = new Array<number>(builtinEmbeddingDimensions).fill(0);
  for (const word of text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []) {
    const marked = `<${word}>`;
    for (const size of [3, 4]) {
      for (let start = 0; start + size <= marked.length; start += 1) {
        const hash = fnv1a(marked.slice(start, start + size));
        vector[hash % builtinEmbeddingDimensions]! += hash & 0x8000_0000 ? -1 : 1;
      }
    }
  }
  return toUnitLength(vector);
}

/** 32-bit FNV-1a over UTF-16 code units: fast, and the same in every process. */
function fnv1a(text: string): number {
  let hash = 0x811c_9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x0100_0193);
  }
  return hash >>> 0;
}
