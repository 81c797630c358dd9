export interface SeqReservationOptions<Frame extends { seq: number }> {
  /** Seqs reserved by one database write. */
  blockSize: number;
  /**
   * Longest a frame waits for its block to be stored. Past it the database is taken as down:
   * frames go out unguarded until a reservation is stored again (its events are not being
   * stored either, so a crash then loses more than numbering).
   */
  holdLimitMs: number;
  /** Stores the reservation; resolves once it is durable. */
  store(through: number): Promise<void>;
  /** Sends a frame to the sockets; called in seq order. */
  deliver(frame: Frame): void;
  onHoldTimeout?(): void;
}

/**
 * Seqs come from blocks stored before any frame numbered in them goes out, like a database
 * sequence's cache: after a crash the session numbers on above the stored reservation, so no
 * client ever sees a seq twice or going backwards. The next block is asked for when half of the
 * current one is used, so a frame waits only for the first block after a load (while its ack
 * waits for the database anyway) or when the database is slower than half a block of frames.
 * Nothing here awaits: numbering stays synchronous and waiting frames keep their order.
 */
export class SeqReservation<Frame extends { seq: number }> {
  #storedThrough: number;
  #requestedThrough: number;
  #held: Frame[] = [];
  #unguarded = false;
  #holdTimer: NodeJS.Timeout | undefined;
  #deliveredWaiters: Array<() => void> = [];

  /** `reservedThrough`: the stored reservation, or the last seq used if that is higher. */
  constructor(
    reservedThrough: number,
    private readonly options: SeqReservationOptions<Frame>,
  ) {
    this.#storedThrough = reservedThrough;
    this.#requestedThrough = reservedThrough;
  }

  /** What the stored reservation will be once the writes asked for have landed. */
  get requestedThrough(): number {
    return this.#requestedThrough;
  }

  /** Frames numbered but not sent yet. */
  get heldCount(): number {
    return this.#held.length;
  }

  /** A frame numbered `seq` will follow: its block is asked for now, while the caller waits for something else. */
  prepare(seq: number): void {
    const { blockSize } = this.options;
    if (this.#requestedThrough - seq < blockSize / 2) this.#request(seq + blockSize);
  }

  /** Sends the frame now if its seq is stored as reserved; else keeps it, in order, until it is. */
  pass(frame: Frame): void {
    this.prepare(frame.seq);
    if (this.#held.length === 0 && this.#covers(frame.seq)) {
      this.options.deliver(frame);
      return;
    }
    this.#held.push(frame);
    this.#holdTimer ??= setTimeout(this.#giveUpWaiting, this.options.holdLimitMs);
  }

  /** Resolves once no frame waits. */
  whenDelivered(): Promise<void> {
    if (this.#held.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#deliveredWaiters.push(resolve));
  }

  #covers(seq: number): boolean {
    return this.#unguarded || seq <= this.#storedThrough;
  }

  #request(through: number): void {
    this.#requestedThrough = through;
    this.options.store(through).then(
      () => {
        this.#storedThrough = Math.max(this.#storedThrough, through);
        this.#unguarded = false;
        this.#release();
      },
      // Only a writer shut down rejects: nothing will be stored any more.
      () => this.#giveUpWaiting(),
    );
  }

  readonly #giveUpWaiting = (): void => {
    this.#holdTimer = undefined;
    if (this.#held.length > 0) this.options.onHoldTimeout?.();
    this.#unguarded = true;
    this.#release();
  };

  #release(): void {
    while (this.#held.length > 0 && this.#covers(this.#held[0]!.seq)) this.options.deliver(this.#held.shift()!);
    if (this.#held.length > 0) return;
    clearTimeout(this.#holdTimer);
    this.#holdTimer = undefined;
    const waiters = this.#deliveredWaiters;
    this.#deliveredWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
