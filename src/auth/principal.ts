/**
 * Who a request or socket acts for, resolved once before it touches a session
 * (resolve-principal.ts). Routes never look at tokens; they look at this. `expiresAt` is the
 * token's `exp` in milliseconds since the epoch (token-expiry.ts).
 */
export type Principal =
  /** A person signed in elsewhere: their token's `sub`. A `user_id` query parameter never changes it. */
  | { kind: 'user'; userId: string; expiresAt?: number }
  /** `API_TOKEN`, or a token whose `role` is `service_role`: sees every session. */
  | { kind: 'operator'; via: 'api_token' | 'service_role'; expiresAt?: number }
  /**
   * No auth setting at all (the local default, loopback only): the client's own `user_id`
   * query parameter, taken on trust, or null.
   */
  | { kind: 'open'; userId: string | null };
