import { canAccessSession, ownerForNewSession } from '../auth/can-access-session.js';
import type { Principal } from '../auth/principal.js';
import type { ParleyError } from '../errors/index.js';
import type { FrameSocket } from '../sessions/frame-socket.js';
import type { SessionConnection } from '../sessions/session-connection.js';
import type { SessionHub } from '../sessions/session-hub.js';
import type { SessionStore } from '../store/types.js';

export interface AttachRequest {
  sessionId: string;
  principal: Principal;
  /** The `user_id` an operator or the open mode asks a new session to have. */
  requestedUserId: string | undefined;
  socket: FrameSocket;
  after: number | undefined;
  /** What another user's session is answered with: `forbidden` on the WebSocket, `not_found` over HTTP. */
  refusal: () => ParleyError;
}

/**
 * Opens the session for this principal, for the WebSocket and the chat routes alike: refused
 * before anything is written when it is another user's, and checked again on the row opening
 * returns, since someone else may have created the same id in between (the store never hands
 * an owned session over).
 */
export async function attachAsPrincipal(
  hub: SessionHub,
  store: Pick<SessionStore, 'getSession'>,
  { sessionId, principal, requestedUserId, socket, after, refusal }: AttachRequest,
): Promise<SessionConnection> {
  const existing = await store.getSession(sessionId);
  if (canAccessSession(principal, existing === null ? undefined : existing.user_id) === 'deny') throw refusal();
  return hub.attach(sessionId, ownerForNewSession(principal, requestedUserId), socket, after, (opened) => {
    if (canAccessSession(principal, opened.user_id) === 'deny') throw refusal();
  });
}
