import { chatReducer, type ChatAction } from './chat-reducer.js';
import type { ChatState } from './chat-state.js';

export type Listener = (state: ChatState) => void;

/**
 * Holds the chat state; listeners hear at most once per animation frame, so a burst of
 * tokens renders once rather than once per token.
 */
export class ChatStore {
  #state: ChatState;
  #listeners = new Set<Listener>();
  #scheduled = false;

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
    if (this.#scheduled) return;
    this.#scheduled = true;
    requestAnimationFrame(() => {
      this.#scheduled = false;
      for (const listener of this.#listeners) listener(this.#state);
    });
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
