import { describe, expect, it } from 'vitest';
import { partialAnswerFromFrames } from '../../src/cluster/partial-answer.js';

const frame = (value: object) => JSON.stringify(value);

describe('the answer a dead instance left, read from its turn\'s frames', () => {
  it('is the text of the tokens after the turn\'s ack, with the ack\'s seq', () => {
    const frames = [
      frame({ type: 'ack', seq: 7, id: 'q' }),
      frame({ type: 'token', seq: 8, content: 'Hello ' }),
      frame({ type: 'tool_call', seq: 9, name: 'calculator' }),
      frame({ type: 'token', seq: 10, content: 'world' }),
    ];
    expect(partialAnswerFromFrames(frames)).toStrictEqual({ turnSeq: 7, content: 'Hello world' });
  });

  it('is nothing when the turn ended or the stream holds no turn', () => {
    expect(partialAnswerFromFrames([frame({ type: 'ack', seq: 1 }), frame({ type: 'token', seq: 2, content: 'a' }), frame({ type: 'done', seq: 3 })])).toBeNull();
    expect(partialAnswerFromFrames([])).toBeNull();
  });

  it('is empty text for a turn cut before its first token', () => {
    expect(partialAnswerFromFrames([frame({ type: 'ack', seq: 4 })])).toStrictEqual({ turnSeq: 4, content: '' });
  });
});
