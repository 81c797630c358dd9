/** What is counted: messages per minute, model tokens per UTC day. */
export type UsageKind = 'messages' | 'model_tokens';

/** One user's counter for one window. `account`: a user id, or `address:<ip>` in the open mode. */
export interface UsageWindow {
  account: string;
  kind: UsageKind;
  windowStart: Date;
}

/**
 * Counters shared by every instance: the database today; Redis (INCRBY with an expiry) is
 * the other implementation this interface leaves room for.
 */
export interface UsageCounter {
  /**
   * Adds `amount` to the window's count, unless that would take it past `ceiling`: then adds
   * nothing and answers null. Otherwise the new count. Atomic across instances.
   */
  add(window: UsageWindow, amount: number, ceiling?: number): Promise<number | null>;
  /** The window's count (0 when nothing was counted). */
  read(window: UsageWindow): Promise<number>;
  /** Drops the account's windows of `kind` that started before `before`. */
  forget(account: string, kind: UsageKind, before: Date): Promise<void>;
}
