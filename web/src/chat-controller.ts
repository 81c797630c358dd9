import { loadOlderHistory } from './api/sessions-api.js';
import { SessionSocket, type SocketRefusal } from './connection/session-socket.js';
import { oldestStoredSeq } from './state/chat-reducer.js';
import { initialChatState } from './state/chat-state.js';
import { ChatStore } from './state/chat-store.js';
import { randomId } from './state/random-id.js';
import type { Attachment } from '../../src/protocol/index.js';

/** How the conversation gets its token, and whom it tells when the server refuses it. */
export interface ChatAccess {
  token(): string | null;
  renewToken(stale: string | null): Promise<string | null>;
  onRefused(refusal: SocketRefusal): void;
}

/** The edge of the page: wires the socket to the store and turns user actions into frames. */
export class ChatController {
  readonly store: ChatStore;
  readonly #socket: SessionSocket;

  constructor(readonly sessionId: string, userId: string, access: ChatAccess) {
    this.store = new ChatStore(initialChatState(sessionId));
    this.#socket = new SessionSocket({
      sessionId,
      userId,
      token: () => access.token(),
      renewToken: (stale) => access.renewToken(stale),
      onRefused: (refusal) => access.onRefused(refusal),
      lastSeq: () => this.store.state.lastSeq,
      onStatus: (status) => this.store.dispatch({ type: 'connection', status }),
      onFrame: (frame) => {
        this.store.dispatch({ type: 'frame', frame });
        // Messages typed while disconnected, or sent and not acked before the drop: the
        // server runs a known id only once, so resending cannot duplicate a turn.
        if (frame.type === 'session') this.#resendPending();
      },
    });
  }

  start(): void {
    this.#socket.start();
  }

  stop(): void {
    this.#socket.stop();
  }

  /** `interrupt`: stop the answer being written and answer this instead. `attachments`: files uploaded to the session. */
  send(content: string, interrupt = false, attachments: Attachment[] = []): void {
    const id = randomId();
    this.store.dispatch({ type: 'send', id, content, attachments });
    this.#socket.send({ type: 'message', content, id, ...(interrupt ? { interrupt: true } : {}), ...attachmentIds(attachments) });
  }

  retry(id: string): void {
    const turn = this.store.state.turns.find((candidate) => candidate.user?.id === id);
    if (!turn?.user) return;
    this.store.dispatch({ type: 'retry', id });
    this.#socket.send({ type: 'message', content: turn.user.content, id, ...attachmentIds(turn.user.attachments) });
  }

  cancel(): void {
    this.#socket.send({ type: 'cancel' });
  }

  /** Reads the turns before the oldest one shown (the reader scrolled to the top); once at a time. */
  async loadOlder(): Promise<void> {
    const { olderTurns, turns, lastSeq } = this.store.state;
    if (olderTurns !== 'more' && olderTurns !== 'failed') return;
    // A frame whose newest turn alone was too large for it carries none: everything is older.
    const before = oldestStoredSeq(turns) ?? lastSeq + 1;
    this.store.dispatch({ type: 'older-loading' });
    try {
      const { history, more } = await loadOlderHistory(this.sessionId, before);
      this.store.dispatch({ type: 'older-loaded', history, more });
    } catch {
      this.store.dispatch({ type: 'older-failed' });
    }
  }

  #resendPending(): void {
    for (const turn of this.store.state.turns) {
      if (turn.user?.state === 'pending' && turn.user.id !== undefined) {
        this.#socket.send({ type: 'message', content: turn.user.content, id: turn.user.id, ...attachmentIds(turn.user.attachments) });
      }
    }
  }
}

function attachmentIds(attachments: readonly Attachment[] | undefined): { attachments?: string[] } {
  return attachments?.length ? { attachments: attachments.map((attachment) => attachment.file_id) } : {};
}
