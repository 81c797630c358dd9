/**
 * What a session asks before it accepts a user's message and tells after the turn, about
 * the account that sent it (quota-account.ts). Only the session's message path calls it.
 */
export interface QuotaGate {
  /**
   * Counts one message against the account's per-minute rate, after checking the day's model
   * tokens; rejects with ParleyError `rate_limited` or `quota_exceeded` (with
   * `retryAfterSeconds`), having counted nothing.
   */
  admitMessage(account: string): Promise<void>;
  /** Adds a finished turn's model tokens to the account's UTC day. */
  chargeTokens(account: string, tokens: number): Promise<void>;
}
