import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatTurn } from '../state/chat-state.js';
import { hasSpeechSynthesis } from './browser-speech.js';
import type { Reading, ReadingState } from './reading.js';
import { useVoiceOptions } from './use-voice-options.js';
import { SpeakerIcon } from './voice-icons.js';

/** The answer's words as written, tool cards left out. */
function answerText(turn: ChatTurn): string {
  return turn.parts.flatMap((part) => (part.kind === 'text' ? [part.content] : [])).join('\n\n');
}

/**
 * "Read aloud" under an answer: through the server's speech service when it has one, else the
 * browser's own voice; it may start while the answer is still being written, reading each
 * sentence once it is complete. Pressed again, or Esc, stops it. The reader is loaded on first use.
 */
export function ReadAloud({ turn }: { turn: ChatTurn }) {
  const options = useVoiceOptions();
  const [state, setState] = useState<ReadingState>({ kind: 'idle' });
  const reading = useRef<Reading | null>(null);
  const text = answerText(turn);
  const final = turn.status !== 'streaming' && turn.status !== 'sending';
  // The latest text for a reading that starts after the reader has loaded.
  const latest = useRef({ text, final });
  latest.current = { text, final };
  useEffect(() => {
    reading.current?.feed(text, final);
  }, [text, final]);
  useEffect(() => () => reading.current?.stop(), []);

  const via = options?.speech ? 'server' : hasSpeechSynthesis() ? 'browser' : null;
  if (options === undefined || via === null || text.trim() === '') return null;
  const active = state.kind === 'loading' || state.kind === 'playing';

  const press = async () => {
    if (active) return reading.current?.stop();
    setState({ kind: 'loading' });
    const { startReading } = await import('./reading.js');
    reading.current = startReading(via, options?.max_speech_chars ?? 4096, setState);
    reading.current.feed(latest.current.text, latest.current.final);
  };

  return (
    <>
      <button type="button" class="read-aloud" data-state={state.kind} aria-pressed={active} title={active ? 'Stop reading (Esc)' : 'Read this answer aloud'} onClick={() => void press()}>
        <SpeakerIcon /> {active ? 'Stop reading' : 'Read aloud'}
      </button>
      {state.kind === 'failed' ? <p class="voice-problem" role="alert">{state.message}</p> : null}
    </>
  );
}
