import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatTurn } from '../state/chat-state.js';
import { TurnView } from './turn-view.js';
import type { ComponentChildren } from 'preact';

interface Props {
  turns: ChatTurn[];
  onRetry: (id: string) => void;
  /** Shown above the turns (the session's summary, the empty-state suggestions). */
  children?: ComponentChildren;
}

/** The conversation; follows new text while the reader is at the bottom, and stays put when they scrolled up. */
export function ChatLog({ turns, onRetry, children }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  });

  return (
    <div
      class="chat-log"
      ref={scroller}
      tabIndex={0}
      aria-label="Conversation"
      onScroll={(event) => {
        const element = event.currentTarget;
        pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
      }}
    >
      <div class="chat-column" role="log" aria-live="off">
        {children}
        {turns.map((turn) => (
          <TurnView key={turn.key} turn={turn} onRetry={onRetry} />
        ))}
      </div>
    </div>
  );
}
