import { describe, expect, it } from 'vitest';
import { builtinEmbedding, builtinEmbeddingDimensions } from '../../src/search/builtin-embedding.js';

const cosine = (left: number[], right: number[]) => left.reduce((sum, value, index) => sum + value * right[index]!, 0);

describe('the built-in embedding', () => {
  it('gives a unit-length vector of 256 numbers, the same for the same text every time', () => {
    const vector = builtinEmbedding('Feed the sourdough starter every day');
    expect(vector).toHaveLength(builtinEmbeddingDimensions);
    expect(cosine(vector, vector)).toBeCloseTo(1, 6);
    expect(builtinEmbedding('Feed the sourdough starter every day')).toStrictEqual(vector);
  });

  it('puts words of one stem nearer each other than unrelated words', () => {
    const photosynthesis = builtinEmbedding('photosynthesis');
    expect(cosine(photosynthesis, builtinEmbedding('photosynthetic'))).toBeGreaterThan(0.5);
    expect(cosine(photosynthesis, builtinEmbedding('guitar chords'))).toBeLessThan(0.3);
  });

  it('ignores case and the width of characters', () => {
    expect(builtinEmbedding('TELESCOPE')).toStrictEqual(builtinEmbedding('telescope'));
    expect(builtinEmbedding('ｔｅｌｅｓｃｏｐｅ')).toStrictEqual(builtinEmbedding('telescope'));
  });

  it('gives zeros for text without a letter or digit, which matches nothing', () => {
    expect(builtinEmbedding(' -- !! ')).toStrictEqual(new Array(builtinEmbeddingDimensions).fill(0));
  });
});
