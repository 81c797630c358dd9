import { ParleyClient, type ServerFrame } from '../../client/src/index.js';
import { loadOlderHistory } from './api/sessions-api.js';
import { oldestStoredSeq } from './state/chat-reducer.js';
import { initialChatState } from './state/chat-state.js';
import { ChatStore } from './state/chat-store.js';

/** Why the server refused the connection for good (a bad session id, a foreign session, no valid token). */
export interface SocketRefusal {
  code: string;
  message: string;
  /** The token the refused connection carried. */
  token: string | null;
}
import type { Attachment } from '../../src/protocol/index.js';

/** How the conversation gets its token, and whom it tells when the server refuses it. */
export interface ChatAccess {
  token(): string | null;
  renewToken(stale: string | null): Promise<string | null>;
  onRefused(refusal: SocketRefusal): void;
}

/** The edge of the page: wires the client (@parley/client) to the store and turns user actions into frames. */
export class ChatController {
  readonly store: ChatStore;
  readonly #client: ParleyClient;

  constructor(readonly sessionId: string, userId: string, access: ChatAccess) {
    this.store = new ChatStore(initialChatState(sessionId));
    this.#client = new ParleyClient(sessionId, {
      url: location.origin,
      userId,
      token: () => access.token(),
      renewToken: (stale) => access.renewToken(stale),
    });
    this.#client.on('frame', (frame: ServerFrame) => this.store.dispatch({ type: 'frame', frame }));
    this.#client.on('state', (state) => {
      if (state !== 'closed') this.store.dispatch({ type: 'connection', status: state });
    });
    this.#client.on('refused', ({ error, token }) => access.onRefused({ code: error.code, message: error.message, token }));
  }

  start(): void {
    this.#client.start();
  }

  stop(): void {
    this.#client.close();
  }

  /**
   * `interrupt`: stop the answer being written and answer this instead. `attachments`: files
   * uploaded to the session. A message written while disconnected is sent once connected, and
   * again after a drop until acked.
   */
  send(content: string, interrupt = false, attachments: Attachment[] = []): void {
    const turn = this.#client.send(content, { interrupt, attachments: attachments.map((attachment) => attachment.file_id), ...this.#pickedModel() });
    this.store.dispatch({ type: 'send', id: turn.id, content, attachments });
  }

  retry(id: string): void {
    const turn = this.store.state.turns.find((candidate) => candidate.user?.id === id);
    if (!turn?.user) return;
    this.store.dispatch({ type: 'retry', id });
    this.#client.send(turn.user.content, { id, attachments: (turn.user.attachments ?? []).map((attachment) => attachment.file_id), ...this.#pickedModel() });
  }

  /** The header's model picker: the next message carries the pick, and the session keeps it. */
  pickModel(id: string): void {
    this.store.dispatch({ type: 'pick-model', id });
  }

  /** The model to name in a message: only when the server offers a choice. */
  #pickedModel(): { model?: string } {
    const { model, models } = this.store.state;
    return models.length > 1 && model?.id !== undefined ? { model: model.id } : {};
  }

  cancel(): void {
    this.#client.cancel();
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
}

