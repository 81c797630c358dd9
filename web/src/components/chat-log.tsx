import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatTurn, OlderTurns } from '../state/chat-state.js';
import { allowedActions } from '../state/turn-actions-allowed.js';
import { TurnView, type TurnActions } from './turn-view.js';
import type { ComponentChildren } from 'preact';

interface Props {
  turns: ChatTurn[];
  onRetry: (id: string) => void;
  /** Whose files the turns show. */
  sessionId: string;
  /** Whether the server has turns older than the first shown, and whether they are being read. */
  olderTurns: OlderTurns;
  onLoadOlder: () => void;
  /** Regenerate and edit; offered only while no turn runs. */
  actions?: TurnActions;
  turnInProgress?: boolean;
  /** Shown above the turns (the session's summary, the empty-state suggestions). */
  children?: ComponentChildren;
}

/** How close to the top the reader scrolls before older turns are read. */
const nearTopPx = 200;

/**
 * The conversation; follows new text while the reader is at the bottom, and stays put when they
 * scrolled up. Scrolling to the top reads older turns, which come in above what the reader sees.
 */
export function ChatLog({ turns, onRetry, sessionId, olderTurns, onLoadOlder, actions, turnInProgress = false, children }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  /** Scrolled up from the newest text: a button takes the reader back down. */
  const [awayFromLatest, setAwayFromLatest] = useState(false);
  /** The first turn shown and where it was, to keep it in place when older ones come in above it. */
  const anchor = useRef<{ key: string; top: number } | null>(null);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const previous = anchor.current;
    if (pinned.current) {
      element.scrollTop = element.scrollHeight;
    } else if (previous && turns[0]?.key !== previous.key) {
      const index = turns.findIndex((turn) => turn.key === previous.key);
      const moved = element.querySelectorAll<HTMLElement>('article.turn')[index];
      if (moved) element.scrollTop += moved.offsetTop - previous.top;
    }
    const first = element.querySelector<HTMLElement>('article.turn');
    anchor.current = turns[0] && first ? { key: turns[0].key, top: first.offsetTop } : null;
    // Nothing to scroll yet: no scroll event would ever ask for the older turns.
    if (olderTurns === 'more' && element.scrollHeight <= element.clientHeight) onLoadOlder();
  });

  // Answers also grow between renders (a paced streaming answer, math and code typeset once
  // their code has loaded): a reader at the bottom stays there.
  useEffect(() => {
    const element = scroller.current;
    const column = element?.firstElementChild;
    if (!element || !column) return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(column);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      class="chat-log"
      ref={scroller}
      tabIndex={0}
      aria-label="Conversation"
      aria-busy={olderTurns === 'loading'}
      onScroll={(event) => {
        const element = event.currentTarget;
        pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
        setAwayFromLatest(!pinned.current);
        if (olderTurns === 'more' && element.scrollTop < nearTopPx) onLoadOlder();
      }}
    >
      <div class="chat-column" role="log" aria-live="off">
        {children}
        <OlderTurnsControl state={olderTurns} onLoad={onLoadOlder} />
        {turns.map((turn, index) => (
          <TurnView
            key={turn.key}
            turn={turn}
            onRetry={onRetry}
            sessionId={sessionId}
            allowed={allowedActions(turn, index === turns.length - 1, turnInProgress)}
            {...(actions ? { actions } : {})}
          />
        ))}
      </div>
      {awayFromLatest && turns.length > 0 ? (
        <button
          type="button"
          class="button small jump-to-latest"
          onClick={() => {
            const element = scroller.current;
            if (!element) return;
            pinned.current = true;
            setAwayFromLatest(false);
            element.scrollTop = element.scrollHeight;
          }}
        >
          <span aria-hidden="true">↓</span> Jump to latest
        </button>
      ) : null}
    </div>
  );
}

function OlderTurnsControl({ state, onLoad }: { state: OlderTurns; onLoad: () => void }) {
  switch (state) {
    case 'none':
      return null;
    case 'more':
      return (
        <p class="older-turns">
          <button type="button" class="link-button" onClick={onLoad}>Load earlier messages</button>
        </p>
      );
    case 'loading':
      return <p class="older-turns muted" role="status">Loading earlier messages…</p>;
    case 'failed':
      return (
        <p class="older-turns" role="alert">
          Earlier messages could not be loaded.
          <button type="button" class="link-button" onClick={onLoad}>Try again</button>
        </p>
      );
  }
}
