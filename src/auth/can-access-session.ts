import type { Principal } from './principal.js';

/**
 * What a principal may do with a session: use it (`allow`), create it because it does not
 * exist yet (`create`; the creator becomes its owner), or nothing (`deny`). The one ownership
 * decision, for every /api/sessions/{id} route and the WebSocket. Over HTTP a `deny` answers
 * like a missing session (404), so foreign sessions cannot be told from unknown ones.
 *
 * `owner`: the session's `user_id`; null for a session nobody owns; undefined when there is
 * no such session.
 *
 * | principal | owner undefined | owner is them | another owner, or null |
 * |---|---|---|---|
 * | user      | create          | allow         | deny                   |
 * | operator  | create          | allow         | allow                  |
 * | open      | create          | allow         | allow                  |
 */
export function canAccessSession(principal: Principal, owner: string | null | undefined): 'allow' | 'create' | 'deny' {
  if (owner === undefined) return 'create';
  if (principal.kind !== 'user') return 'allow';
  return owner === principal.userId ? 'allow' : 'deny';
}

/**
 * The `user_id` filter for GET /api/sessions, undefined for every session: a user sees only
 * their own whatever they ask for; an operator and the open mode filter when asked.
 */
export function sessionListFilter(principal: Principal, requestedUserId?: string): string | undefined {
  return principal.kind === 'user' ? principal.userId : requestedUserId;
}

/** The `user_id` a session gets when this principal creates it. */
export function ownerForNewSession(principal: Principal, requestedUserId?: string): string | null {
  if (principal.kind === 'user') return principal.userId;
  if (principal.kind === 'open') return principal.userId;
  return requestedUserId ?? null;
}
