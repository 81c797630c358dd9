import { describe, expect, it } from 'vitest';
import { expectedAnswer } from '../../bench/fake-answer.js';
import { TurnCheck } from '../../bench/turn-check.js';

const answer = expectedAnswer(3);

function feed(check: TurnCheck, frames: Array<Record<string, unknown>>): void {
  frames.forEach((frame, index) => check.receive(frame, 100 + index * 10));
}

describe('TurnCheck', () => {
  it('accepts a whole turn and measures ack, first token and the gaps between tokens', () => {
    const check = new TurnCheck(answer, 95, 0);
    feed(check, [
      { type: 'ack', seq: 1 },
      { type: 'token', seq: 2, content: 'tok0 ' },
      { type: 'token', seq: 3, content: 'tok1 ' },
      { type: 'token', seq: 4, content: 'tok2 ' },
      { type: 'done', seq: 5, finish_reason: 'stop' },
    ]);
    expect(check.outcome()).toBe('ok');
    expect(check.timings).toStrictEqual({ ackMs: 5, firstTokenMs: 15, gapsMs: [10, 10], tokenFrames: 3, tokens: 3 });
    expect(check.lastSeq).toBe(5);
  });

  it('dates every token of a merged frame by that frame: one gap, then 0 ms gaps', () => {
    const check = new TurnCheck(expectedAnswer(4), 95, 0);
    feed(check, [
      { type: 'ack', seq: 1 },
      { type: 'token', seq: 2, content: 'tok0 ' },
      { type: 'token', seq: 5, content: 'tok1 tok2 tok3 ' },
      { type: 'done', seq: 6 },
    ]);
    expect(check.outcome()).toBe('ok');
    expect(check.timings).toStrictEqual({ ackMs: 5, firstTokenMs: 15, gapsMs: [10, 0, 0], tokenFrames: 2, tokens: 4 });
  });

  it('gives no gap for a frame that ends inside a token, only once the token is complete', () => {
    const check = new TurnCheck(answer, 95, 0);
    feed(check, [
      { type: 'ack', seq: 1 },
      { type: 'token', seq: 2, content: 'to' },
      { type: 'token', seq: 3, content: 'k0 t' },
      { type: 'token', seq: 4, content: 'ok1' },
      { type: 'token', seq: 5, content: ' tok2 ' },
      { type: 'done', seq: 6 },
    ]);
    expect(check.outcome()).toBe('ok');
    expect(check.timings).toStrictEqual({ ackMs: 5, firstTokenMs: 25, gapsMs: [20, 0], tokenFrames: 4, tokens: 3 });
  });

  it('accepts tokens merged under backpressure, whose seq skips', () => {
    const check = new TurnCheck(answer, 0, 10);
    feed(check, [
      { type: 'ack', seq: 11 },
      { type: 'token', seq: 14, content: 'tok0 tok1 tok2 ' },
      { type: 'done', seq: 15 },
    ]);
    expect(check.outcome()).toBe('ok');
  });

  it('counts a turn lost when its done never came', () => {
    const check = new TurnCheck(answer, 0, 0);
    feed(check, [
      { type: 'ack', seq: 1 },
      { type: 'token', seq: 2, content: 'tok0 ' },
    ]);
    expect(check.finished).toBe(false);
    expect(check.outcome()).toBe('lost');
  });

  it('counts a turn lost when its ack never came', () => {
    const check = new TurnCheck(answer, 0, 0);
    expect(check.outcome()).toBe('lost');
  });

  it('counts a turn wrong when a token frame is missing', () => {
    const check = new TurnCheck(answer, 0, 0);
    feed(check, [
      { type: 'ack', seq: 1 },
      { type: 'token', seq: 2, content: 'tok0 ' },
      { type: 'token', seq: 4, content: 'tok2 ' },
      { type: 'done', seq: 5 },
    ]);
    expect(check.outcome()).toBe('wrong');
  });

  it('counts a turn wrong when it carried an error frame', () => {
    const check = new TurnCheck(answer, 0, 0);
    feed(check, [
      { type: 'ack', seq: 1 },
      { type: 'token', seq: 2, content: answer },
      { type: 'error', seq: 3, code: 'llm_error' },
      { type: 'done', seq: 4 },
    ]);
    expect(check.outcome()).toBe('wrong');
  });

  it('counts a turn out of order when a seq goes back or a token comes before the ack', () => {
    const backwards = new TurnCheck(answer, 0, 0);
    feed(backwards, [
      { type: 'ack', seq: 1 },
      { type: 'token', seq: 3, content: 'tok0 tok1 ' },
      { type: 'token', seq: 2, content: 'tok2 ' },
      { type: 'done', seq: 4 },
    ]);
    expect(backwards.outcome()).toBe('out_of_order');

    const early = new TurnCheck(answer, 0, 0);
    feed(early, [
      { type: 'token', seq: 1, content: answer },
      { type: 'ack', seq: 2 },
      { type: 'done', seq: 3 },
    ]);
    expect(early.outcome()).toBe('out_of_order');
  });
});
