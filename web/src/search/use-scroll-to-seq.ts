import { useEffect } from 'preact/hooks';
import type { ChatController } from '../chat-controller.js';
import type { ChatState } from '../state/chat-state.js';
import { turnForSeq } from './turn-for-seq.js';

/** A search hit to show: its session and the seq of its message. */
export interface SearchTarget {
  sessionId: string;
  seq: number;
}

/** How long the turn a hit opened stays marked. */
const markedMs = 2_500;

/**
 * Once the hit's session is open, reads older turns until the hit's turn is among those shown,
 * then scrolls it into view and marks it for a moment; `done` clears the target.
 */
export function useScrollToSeq(controller: ChatController, state: ChatState, target: SearchTarget | null, done: () => void): void {
  useEffect(() => {
    // The state may still be the previous session's for a render after the switch.
    if (target === null || target.sessionId !== controller.sessionId || state.sessionId !== target.sessionId || !state.loaded) return;
    const found = turnForSeq(state.turns, target.seq, state.olderTurns);
    if (found === 'wait') return;
    if (found === 'load-older') {
      void controller.loadOlder();
      return;
    }
    done();
    if (found === null) return;
    // After the log's own layout effect, which keeps the reader at the bottom.
    requestAnimationFrame(() => {
      const turn = document.querySelector<HTMLElement>(`article.turn[data-seq="${found}"]`);
      if (!turn) return;
      turn.scrollIntoView({ block: 'center' });
      // The browser's own scroll event comes a frame later; the log's resize observer, which
      // keeps a reader at the bottom there, runs in this one and would scroll the hit away.
      turn.closest('.chat-log')?.dispatchEvent(new Event('scroll'));
      turn.classList.add('search-target');
      setTimeout(() => turn.classList.remove('search-target'), markedMs);
    });
  }, [controller, state.sessionId, state.loaded, state.turns, state.olderTurns, target]);
}
