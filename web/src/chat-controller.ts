import { ParleyClient, randomId, type ServerFrame } from '../../client/src/index.js';
import { loadOlderHistory } from './api/sessions-api.js';
import { mustWait, nextToSend, type Outbox } from './connection/outbox.js';
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
  /** Messages written while they could not go (offline, or behind a turn): sent one at a time, in order. */
  #outbox: Outbox = [];
  #flushPlanned = false;

  constructor(readonly sessionId: string, userId: string, access: ChatAccess) {
    this.store = new ChatStore(initialChatState(sessionId));
    this.#client = new ParleyClient(sessionId, {
      url: location.origin,
      userId,
      token: () => access.token(),
      renewToken: (stale) => access.renewToken(stale),
    });
    this.#client.on('frame', (frame: ServerFrame) => {
      this.store.dispatch({ type: 'frame', frame });
      this.#planFlush();
    });
    this.#client.on('state', (state) => {
      if (state !== 'closed') this.store.dispatch({ type: 'connection', status: state });
    });
    this.#client.on('retry', ({ delayMs }) => this.store.dispatch({ type: 'retry-planned', at: Date.now() + delayMs }));
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
    if (!interrupt && mustWait(this.#outbox, this.store.state)) {
      const id = randomId();
      this.#outbox = [...this.#outbox, { id, content, attachments }];
      this.store.dispatch({ type: 'send', id, content, attachments, queued: true });
      return;
    }
    const turn = this.#client.send(content, { interrupt, attachments: attachments.map((attachment) => attachment.file_id), ...this.#pickedModel() });
    this.store.dispatch({ type: 'send', id: turn.id, content, attachments });
  }

  /** Reconnects at once instead of waiting for the next planned attempt. */
  reconnectNow(): void {
    this.#client.reconnectNow();
  }

  /**
   * Sends the next queued message once the page may. Planned for after the frame's own
   * handling: on a `session` frame the client first resends what it holds unacked.
   */
  #planFlush(): void {
    if (this.#flushPlanned || this.#outbox.length === 0) return;
    this.#flushPlanned = true;
    queueMicrotask(() => {
      this.#flushPlanned = false;
      const { next, rest } = nextToSend(this.#outbox, this.store.state);
      if (next === null) return;
      this.#outbox = rest;
      this.store.dispatch({ type: 'dequeue', id: next.id });
      this.#client.send(next.content, { id: next.id, attachments: next.attachments.map((attachment) => attachment.file_id), ...this.#pickedModel() });
    });
  }

  /**
   * Asks again for the answer to the stored message of `seq` (after a Stop or an error too);
   * once stored, the new turn replaces that one and every one after it.
   */
  regenerate(seq: number): void {
    const original = this.store.state.turns.find((turn) => turn.user?.seq === seq)?.user;
    if (!original) return;
    const turn = this.#client.send('', { regenerate: seq, ...this.#pickedModel() });
    const attachments = original.attachments ?? [];
    this.store.dispatch({ type: 'send', id: turn.id, content: original.content, attachments, replaces: { kind: 'regenerate', seq } });
  }

  /** Sends `content` as the new text of the stored message of `seq`, with its files; the turns from it on are replaced. */
  edit(seq: number, content: string): void {
    const original = this.store.state.turns.find((turn) => turn.user?.seq === seq)?.user;
    if (!original) return;
    const attachments = original.attachments ?? [];
    const turn = this.#client.send(content, { editOf: seq, attachments: attachments.map((attachment) => attachment.file_id), ...this.#pickedModel() });
    this.store.dispatch({ type: 'send', id: turn.id, content, attachments, replaces: { kind: 'edit', seq } });
  }

  retry(id: string): void {
    const turn = this.store.state.turns.find((candidate) => candidate.user?.id === id);
    if (!turn?.user) return;
    this.store.dispatch({ type: 'retry', id });
    const { replaces } = turn.user;
    this.#client.send(turn.user.content, {
      id,
      attachments: (turn.user.attachments ?? []).map((attachment) => attachment.file_id),
      ...(replaces?.kind === 'regenerate' ? { regenerate: replaces.seq } : {}),
      ...(replaces?.kind === 'edit' ? { editOf: replaces.seq } : {}),
      ...this.#pickedModel(),
    });
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

