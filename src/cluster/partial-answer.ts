/**
 * What a turn's frames, as its stream holds them, say about an answer cut short: the turn's
 * seq (its ack) and the text its tokens carried. Null when the stream holds no turn, or one
 * that ended (its `done` is there).
 */
export function partialAnswerFromFrames(serializedFrames: readonly string[]): { turnSeq: number; content: string } | null {
  let turnSeq: number | null = null;
  let content = '';
  for (const serialized of serializedFrames) {
    const frame = JSON.parse(serialized) as { type?: string; seq?: number; content?: string };
    if (frame.type === 'ack' && typeof frame.seq === 'number') {
      turnSeq = frame.seq;
      content = '';
    } else if (frame.type === 'token' && typeof frame.content === 'string') {
      content += frame.content;
    } else if (frame.type === 'done') {
      turnSeq = null;
    }
  }
  return turnSeq === null ? null : { turnSeq, content };
}
