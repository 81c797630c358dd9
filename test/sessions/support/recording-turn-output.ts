import type { SequencedFrame, UnsequencedFrame } from '../../../src/protocol/index.js';
import type { TurnOutput } from '../../../src/sessions/turn.js';
import type { NewEvent } from '../../../src/store/types.js';

type Recorded = Pick<NewEvent, 'event_type' | 'content' | 'metadata' | 'seq'>;

/**
 * What a turn sends out, kept in order: the session's side of TurnOutput, with numbering as
 * the session does it and the database's answer chosen by the test.
 */
export class RecordingTurnOutput implements TurnOutput {
  readonly frames: SequencedFrame[] = [];
  readonly tokens: string[] = [];
  readonly records: Recorded[] = [];
  readonly checkpoints: Array<{ content: string; metadata: Record<string, unknown> }> = [];
  checkpointsDone = 0;
  /** What `record` answers: stored (true), not stored (false), or not yet. */
  stored: Promise<boolean> = Promise.resolve(true);
  durableWaitMs = 1_000;
  checkpointEvery = { ms: 2_000, pieces: 200 };
  #seq = 0;

  token(text: string): void {
    this.tokens.push(text);
  }

  emit(frame: UnsequencedFrame): number {
    const seq = ++this.#seq;
    this.frames.push({ ...frame, seq });
    return seq;
  }

  reserveSeq(): number {
    return ++this.#seq;
  }

  emitAt(seq: number, frame: UnsequencedFrame): void {
    this.frames.push({ ...frame, seq });
  }

  record(event: Pick<NewEvent, 'event_type' | 'content' | 'metadata'>, seq: number): Promise<boolean> {
    this.records.push({ ...event, seq });
    return this.stored;
  }

  checkpoint(content: string, metadata: Record<string, unknown>): void {
    this.checkpoints.push({ content, metadata });
  }

  checkpointDone(): void {
    this.checkpointsDone += 1;
  }

  get answer(): Recorded | undefined {
    return this.records.find((record) => record.event_type === 'assistant_message');
  }
}
