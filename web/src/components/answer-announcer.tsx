import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatTurn } from '../state/chat-state.js';
import { plainText } from '../voice/plain-text.js';

/**
 * Screen readers hear an answer once, when it is finished, instead of every token as it
 * streams (the log itself is not live).
 */
export function AnswerAnnouncer({ turns }: { turns: ChatTurn[] }) {
  const [message, setMessage] = useState('');
  const announced = useRef(new Set<string>());
  const first = useRef(true);

  useEffect(() => {
    for (const turn of turns) {
      if (turn.status === 'streaming' || turn.status === 'sending' || announced.current.has(turn.key)) continue;
      announced.current.add(turn.key);
      // Turns loaded with the history are not news.
      if (first.current) continue;
      // What the answer says, not its markdown: a reader would hear "asterisk asterisk".
      const text = plainText(turn.parts.map((part) => (part.kind === 'text' ? part.content : '')).join('\n\n'));
      const prefix = turn.status === 'cancelled' ? 'Answer stopped: ' : turn.status === 'error' ? 'Answer failed: ' : 'Parley answered: ';
      setMessage(`${prefix}${text.slice(0, 600)}`);
    }
    if (turns.length > 0) first.current = false;
  }, [turns]);

  return (
    <div class="visually-hidden" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
