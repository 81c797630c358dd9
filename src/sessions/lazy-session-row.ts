import { toParleyError } from '../errors/index.js';
import type { SessionRow, SessionStore } from '../store/types.js';
import type { SessionConnection } from './session-connection.js';

/**
 * A session's row comes with its first message, not with its first socket (issue 15: every
 * page load made an empty session). Until then a socket holds only a claim; the first message
 * to be stored creates the row with its sender as owner, and every socket whose claim the row
 * refuses (another user raced for the same unused id) is told so and closed, before anything
 * of the session is sent. Without REDIS_URL only: a cluster's lease needs the row (session-hub.ts).
 *
 * Returns whether the sender may go on and store its message.
 */
export async function createRowOnFirstMessage(
  store: Pick<SessionStore, 'openSession'>,
  sessionId: string,
  sender: SessionConnection,
  attached: readonly SessionConnection[],
): Promise<boolean> {
  // ON CONFLICT keeps an owner the row already has: the first message (or upload) wins.
  const { session } = await store.openSession(sessionId, sender.claim?.ownerIfNew ?? null);
  let senderAdmitted = true;
  for (const connection of attached) {
    const refusal = refusalOf(connection, session);
    if (refusal === null) continue;
    if (connection === sender) senderAdmitted = false;
    connection.send(JSON.stringify(refusal.toFrame()));
    connection.close(1008, refusal.code);
  }
  return senderAdmitted;
}

/** What the socket's route answers a session that is not its own; null when it may use it. */
function refusalOf(connection: SessionConnection, session: SessionRow) {
  if (connection.claim === null) return null;
  try {
    connection.claim.admit(session);
    return null;
  } catch (error) {
    return toParleyError(error);
  }
}
