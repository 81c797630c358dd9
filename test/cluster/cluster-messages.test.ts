import { describe, expect, it } from 'vitest';
import { decodeFrameBundle, decodeInstanceMessage, decodeMirroredFrame, encodeFrameBundle, encodeInstanceMessage, encodeMirroredFrame, frameRecord, isAfter, parseStreamId, streamId } from '../../src/cluster/cluster-messages.js';

describe('the messages instances send each other', () => {
  it('carries a frame across with its JSON untouched, spaces and newlines included', () => {
    const serialized = JSON.stringify({ type: 'token', seq: 12, content: 'two words\nand 3 4 5' });
    const text = encodeMirroredFrame({ seq: 12, k: 0, sentAt: 1_700_000_000_000, serialized });
    expect(decodeMirroredFrame(text)).toStrictEqual({ seq: 12, k: 0, sentAt: 1_700_000_000_000, serialized });
  });

  it('bundles the frames of several sessions for one instance and unbundles them in order', () => {
    const first = { seq: 3, k: 0, sentAt: 1, serialized: JSON.stringify({ type: 'token', seq: 3, content: 'line one\nline two' }) };
    const second = { seq: 9, k: 1, sentAt: 2, serialized: JSON.stringify({ type: 'error', seq: 9, code: 'write_failed' }) };
    const bundle = encodeFrameBundle([frameRecord('chat-a', first), frameRecord('chat.b_2', second)]);
    expect(decodeFrameBundle(bundle)).toStrictEqual([
      { sessionId: 'chat-a', frame: first },
      { sessionId: 'chat.b_2', frame: second },
    ]);
  });

  it('ignores what is not a frame or a message instead of throwing', () => {
    expect(decodeMirroredFrame('x')).toBeNull();
    expect(decodeMirroredFrame('12 zero 3 {}')).toBeNull();
    expect(decodeInstanceMessage('not json')).toBeNull();
    expect(decodeInstanceMessage('"text"')).toBeNull();
    expect(decodeInstanceMessage(encodeInstanceMessage({ t: 'unfollow', session: 's', from: 'i' }))).toStrictEqual({ t: 'unfollow', session: 's', from: 'i' });
  });

  it('orders frames by seq, then by k for frames that share a seq, as their stream ids do', () => {
    expect(isAfter({ seq: 5, k: 0 }, { seq: 4, k: 3 })).toBe(true);
    expect(isAfter({ seq: 5, k: 1 }, { seq: 5, k: 0 })).toBe(true);
    expect(isAfter({ seq: 5, k: 0 }, { seq: 5, k: 0 })).toBe(false);
    expect(isAfter({ seq: 4, k: 9 }, { seq: 5, k: 0 })).toBe(false);
    expect(parseStreamId(streamId({ seq: 1001, k: 2 }))).toStrictEqual({ seq: 1001, k: 2 });
  });
});
