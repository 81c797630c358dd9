import { chatReducer, type ChatAction } from './chat-reducer.js';
import type { ChatState } from './chat-state.js';

export type Listener = (state: ChatState) => void;

/**
 * While only answer text arrives, listeners hear at most this often (about ten times a
 * second): rendering a growing answer every frame kept a slow phone from answering the keyboard.
 */
export const textUpdateMs = 100;

/**
 * Holds the chat state; listeners hear at most once per animation frame, so a burst of
 * tokens renders once rather than once per token, and streamed text at most every
 * `textUpdateMs`. Anything else (a sent message, the end of an answer) renders at the next frame.
 */
export class ChatStore {
  #state: ChatState;
  #listeners = new Set<Listener>();
  #frameRequested = false;
  #textTimer: ReturnType<typeof setTimeout> | undefined;
  #notifiedAt = Number.NEGATIVE_INFINITY;

  constructor(initial: ChatState) {
    this.#state = initial;
  }

  get state(): ChatState {
    return this.#state;
  }

  dispatch(action: ChatAction): void {
    const next = chatReducer(this.#state, action);
    if (next === this.#state) return;
    this.#state = next;
    if (this.#frameRequested) return;
    const textOnly = action.type === 'frame' && action.frame.type === 'token';
    const wait = textOnly ? this.#notifiedAt + textUpdateMs - performance.now() : 0;
    if (wait <= 0) {
      this.#requestFrame();
    } else {
      this.#textTimer ??= setTimeout(() => this.#requestFrame(), wait);
    }
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #requestFrame(): void {
    clearTimeout(this.#textTimer);
    this.#textTimer = undefined;
    this.#frameRequested = true;
    requestAnimationFrame(() => {
      this.#frameRequested = false;
      this.#notifiedAt = performance.now();
      for (const listener of this.#listeners) listener(this.#state);
    });
  }
}
