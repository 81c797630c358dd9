/**
 * Follows the frames of one turn as the client sees them and decides how it went. A turn is
 * `lost` when its `ack` or its `done` never came (the socket closed or the time ran out),
 * `wrong` when it ended with other text than the model's answer or with an `error` frame,
 * `out_of_order` when a frame's `seq` did not grow. Token frames may be merged by a server
 * under backpressure (their `seq` then skips), so the text is compared whole.
 */
export type TurnOutcome = 'ok' | 'lost' | 'wrong' | 'out_of_order';

export interface TurnTimings {
  ackMs: number | null;
  /** Until the first whole answer token arrived. */
  firstTokenMs: number | null;
  /**
   * Time between consecutive answer tokens, each token dated by the frame that completed it:
   * a frame completing k tokens gives one gap since the last token then k-1 gaps of 0 ms.
   * Counted per token, not per frame, because a server that merges tokens into fewer frames
   * would otherwise give fewer and longer samples than one that sends a frame per token in a
   * burst, and the target is the gap a reader sees between tokens.
   */
  gapsMs: number[];
  /** Frames of type `token`; fewer than `tokens` when the server merged them. */
  tokenFrames: number;
  /** Answer tokens whose last character has arrived. */
  tokens: number;
}

export interface ServerFrameLike {
  type?: unknown;
  seq?: unknown;
  content?: unknown;
}

export class TurnCheck {
  #text = '';
  #lastSeq: number;
  #acked = false;
  #done = false;
  #outOfOrder = false;
  #errored = false;
  #lastTokenAt: number | null = null;
  readonly #tokenEnds: number[];
  readonly timings: TurnTimings = { ackMs: null, firstTokenMs: null, gapsMs: [], tokenFrames: 0, tokens: 0 };

  constructor(
    private readonly expectedText: string,
    private readonly sentAt: number,
    lastSeq: number,
  ) {
    this.#lastSeq = lastSeq;
    this.#tokenEnds = tokenEnds(expectedText);
  }

  /** The highest `seq` seen, for the next turn of the session. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  get finished(): boolean {
    return this.#done;
  }

  /** Feeds one frame received at `now` (performance.now()); true once the turn is over. */
  receive(frame: ServerFrameLike, now: number): boolean {
    if (typeof frame.seq === 'number') {
      if (frame.seq <= this.#lastSeq) this.#outOfOrder = true;
      else this.#lastSeq = frame.seq;
    }
    switch (frame.type) {
      case 'ack':
        if (this.#acked || this.timings.tokenFrames > 0) this.#outOfOrder = true;
        this.#acked = true;
        this.timings.ackMs = now - this.sentAt;
        break;
      case 'token':
        if (!this.#acked) this.#outOfOrder = true;
        this.timings.tokenFrames += 1;
        this.#text += typeof frame.content === 'string' ? frame.content : '';
        this.#dateCompletedTokens(now);
        break;
      case 'done':
        if (!this.#acked) this.#outOfOrder = true;
        this.#done = true;
        break;
      case 'error':
        this.#errored = true;
        break;
      default:
        break;
    }
    return this.#done;
  }

  /** A frame may also end inside a token (a provider may split one): that token waits for its end. */
  #dateCompletedTokens(now: number): void {
    const before = this.timings.tokens;
    let covered = before;
    while (covered < this.#tokenEnds.length && this.#tokenEnds[covered]! <= this.#text.length) covered += 1;
    if (covered === before) return;
    if (this.#lastTokenAt === null) this.timings.firstTokenMs = now - this.sentAt;
    else this.timings.gapsMs.push(now - this.#lastTokenAt);
    for (let index = before + 1; index < covered; index += 1) this.timings.gapsMs.push(0);
    this.#lastTokenAt = now;
    this.timings.tokens = covered;
  }

  /** The verdict; a turn not finished yet when this is asked is lost. */
  outcome(): TurnOutcome {
    if (!this.#acked || !this.#done) return 'lost';
    if (this.#outOfOrder) return 'out_of_order';
    if (this.#errored || this.#text !== this.expectedText) return 'wrong';
    return 'ok';
  }
}

/** Offsets just past each token of the answer: every answer token ends with a space (see `answerToken`). */
function tokenEnds(text: string): number[] {
  const ends: number[] = [];
  for (let index = text.indexOf(' '); index !== -1; index = text.indexOf(' ', index + 1)) ends.push(index + 1);
  return ends;
}
