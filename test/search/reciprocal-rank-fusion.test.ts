import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from '../../src/search/reciprocal-rank-fusion.js';

const same = (item: string) => item;

describe('reciprocal rank fusion', () => {
  it('puts first what several rankings agree on, above what one ranking puts first', () => {
    expect(reciprocalRankFusion([['a', 'b', 'c'], ['b', 'c', 'd'], ['c', 'b']], same)).toStrictEqual(['b', 'c', 'a', 'd']);
  });

  it('sums 1 / (k + rank) per list, so one list alone keeps its order', () => {
    expect(reciprocalRankFusion([['x', 'y', 'z']], same)).toStrictEqual(['x', 'y', 'z']);
    // With k = 0, rank 1 in one list (1) beats ranks 3 and 3 in two (2/3); with k = 60 it does not.
    expect(reciprocalRankFusion([['a', 'p', 'b'], ['q', 'r', 'b']], same, 0).slice(0, 1)).toStrictEqual(['a']);
    expect(reciprocalRankFusion([['a', 'p', 'b'], ['q', 'r', 'b']], same, 60).slice(0, 1)).toStrictEqual(['b']);
  });

  it('breaks ties by the order items were first seen, and keeps the first copy of each item', () => {
    const first = { id: 'one', from: 'full text' };
    const second = { id: 'one', from: 'meaning' };
    expect(reciprocalRankFusion([[first], [second]], (item) => item.id)).toStrictEqual([first]);
    expect(reciprocalRankFusion([['a'], ['b']], same)).toStrictEqual(['a', 'b']);
  });

  it('fuses nothing into nothing', () => {
    expect(reciprocalRankFusion([[], []], same)).toStrictEqual([]);
  });
});
