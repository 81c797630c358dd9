import { describe, expect, it } from 'vitest';
import type { ChatTurn } from '../../web/src/state/chat-state.js';
import { turnForSeq } from '../../web/src/search/turn-for-seq.js';

const turn = (seq: number | undefined): ChatTurn => ({
  key: `k${seq}`,
  user: seq === undefined ? null : { content: 'q', seq, state: 'stored' },
  parts: [],
  status: 'complete',
});

describe('the turn a search hit opens', () => {
  const shown = [turn(501), turn(511), turn(521)];

  it('is the turn whose user message is the last at or before the hit', () => {
    expect(turnForSeq(shown, 501, 'more')).toBe(501);
    expect(turnForSeq(shown, 519, 'more')).toBe(511);
    expect(turnForSeq(shown, 900, 'none')).toBe(521);
  });

  it('asks for older turns while the hit is before those shown, and waits while they load', () => {
    expect(turnForSeq(shown, 71, 'more')).toBe('load-older');
    expect(turnForSeq(shown, 71, 'loading')).toBe('wait');
  });

  it('settles on the first turn when nothing older is left, and on none in an empty conversation', () => {
    expect(turnForSeq(shown, 71, 'none')).toBe(501);
    expect(turnForSeq([], 1, 'none')).toBeNull();
  });
});
