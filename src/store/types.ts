/**
 * The store's contract, apart from its PGlite and postgres.js drivers (STYLE.md 3).
 * Rows use snake_case as in the tables; times are ISO strings once they leave the store.
 */
export type EventType =
  | 'user_message'
  | 'assistant_message'
  | 'tool_call'
  | 'tool_result'
  /** Stands where an event the database refused would be (event-writer.ts); not part of the history. */
  | 'write_failed';

export interface NewEvent {
  session_id: string;
  event_type: EventType;
  content: string | null;
  metadata: Record<string, unknown>;
  /** The `seq` of the frame this event answers to (ack, tool_call, tool_result, done). */
  seq: number;
}

export interface StoredEvent extends NewEvent {
  id: number;
  created_at: string;
}

/** A turn's answer so far, kept so that a crash loses at most a few seconds of it. */
export interface TurnCheckpoint {
  session_id: string;
  /** The seq of the turn's user message (its ack). */
  turn_seq: number;
  content: string;
  /** The assistant_message's metadata as it would be if the turn stopped here. */
  metadata: Record<string, unknown>;
}

/**
 * What a session writes besides its events, one entry per session in a batch: how far its
 * seqs are reserved, and its turn's checkpoint.
 */
export interface SessionProgress {
  session_id: string;
  seq_reservation?: {
    through: number;
    /**
     * Absent: raise the reservation to `through` (never lowers it). Present: a give-back of
     * unused seqs, applied only while the stored reservation still equals this.
     */
    if_reserved_through?: number;
  };
  /** Saves the answer so far, replacing an older turn's checkpoint. */
  checkpoint?: Omit<TurnCheckpoint, 'session_id'>;
  /** The turn with this seq ended and its answer is stored: its checkpoint goes. */
  checkpoint_done?: number;
}

/** An answer a crash cut short, stored at start-up from its checkpoint. */
export interface RecoveredAnswer {
  session_id: string;
  /** The seq the `interrupted` assistant_message was given: above any the session handed out. */
  seq: number;
  /** The seq of the cut turn's ack (one session's recovery tells it). */
  turn_seq?: number;
}

export interface SessionRow {
  session_id: string;
  user_id: string | null;
  start_time: string;
  end_time: string | null;
  is_active: boolean;
  summary: string | null;
  /** Written by the model after the first turn, or set by the user (who always wins). */
  title: string | null;
  /** The model its user picked (`provider:model`, LLM_MODELS); null: the default. */
  model: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface SessionPage {
  sessions: SessionRow[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}

export interface EventPage {
  events: StoredEvent[];
  /** Null when nothing is left in the page's direction. */
  next_cursor: string | null;
}

/** A connection: PGlite in-process, or a PostgreSQL server through postgres.js. */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** Whether the link to the server is encrypted; absent for PGlite, which runs in this process. */
  readonly encrypted?: boolean;
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (a migration file) with no parameters. */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction; the callback's queries go through `transaction`. */
  transaction<T>(work: (transaction: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type Queryable = Pick<Database, 'query' | 'exec'>;

/** Every query Parley runs, written once for both drivers. */
export interface SessionStore {
  /**
   * Creates the session, or reopens it: active again, no end time, no pending finalize. Its
   * owner (`user_id`) is given once: a session that has one keeps it, whoever opens it later.
   */
  openSession(sessionId: string, userId: string | null): Promise<{ session: SessionRow; created: boolean }>;
  /**
   * Reopens a session that exists (active again, no end time, no pending finalize); null, and
   * nothing written, when there is none (a new id gets its row with its first message).
   */
  reopenSession(sessionId: string): Promise<SessionRow | null>;
  getSession(sessionId: string): Promise<SessionRow | null>;
  /** Records the model the session's user picked (`provider:model`). */
  setSessionModel(sessionId: string, model: string): Promise<void>;
  listSessions(options: { limit: number; cursor?: string; userId?: string }): Promise<SessionPage>;
  /** All events of a session in order (seq, then id). */
  loadEvents(sessionId: string): Promise<StoredEvent[]>;
  /**
   * A page of a session's events in order (seq, then id). Without `cursor`: from the first
   * event, or with `before`, the newest `limit` events below that seq; `next_cursor` goes on
   * in the same direction (later events, or older ones for a `before` walk).
   */
  listEvents(sessionId: string, options: { limit: number; cursor?: string; before?: number }): Promise<EventPage>;
  /** The seq of the user message the session stored with this client id, or null. */
  findMessageSeq(sessionId: string, messageId: string): Promise<number | null>;
  /** One round trip for the whole batch, in the order given. */
  appendEvents(events: readonly NewEvent[]): Promise<void>;
  /** The highest seq the session reserved (0 when it never did). */
  readSeqReservation(sessionId: string): Promise<number>;
  /** One round trip for the whole batch; at most one entry per session. */
  writeSessionProgress(progress: readonly SessionProgress[]): Promise<void>;
  /**
   * At start, before any session is served: every checkpoint whose turn has no
   * assistant_message becomes one with status `interrupted`, numbered above every seq the
   * session reserved; every checkpoint goes.
   */
  recoverInterruptedAnswers(): Promise<RecoveredAnswer[]>;
  /**
   * One session taken over from a dead instance: its checkpoint (or `streamed`, the turn's text
   * as its frames hold it, when longer) becomes an `interrupted` assistant_message as above.
   * Null when no answer was cut short.
   */
  recoverInterruptedAnswer(sessionId: string, streamed: { turnSeq: number; content: string } | null): Promise<RecoveredAnswer | null>;
  /** Durably records that the session ends at `dueAt` unless a socket attaches again. */
  scheduleFinalize(sessionId: string, dueAt: Date): Promise<void>;
  cancelFinalize(sessionId: string): Promise<void>;
  /**
   * Claims up to `limit` sessions whose finalize is due (SKIP LOCKED, so several instances
   * never claim the same one). A claimed session stays active until `completeFinalize`,
   * so a crash in between is finished by `claimAbandoned` on the next start.
   */
  claimDueFinalizations(now: Date, limit: number): Promise<SessionRow[]>;
  /** At start: claims every session still active (a crash left it so). */
  claimAbandoned(limit: number): Promise<SessionRow[]>;
  completeFinalize(sessionId: string, summary: string, metadata: Record<string, unknown>): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
