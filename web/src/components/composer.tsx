import { useEffect, useRef, useState } from 'preact/hooks';
import { MicButton } from '../voice/mic-button.js';

interface Props {
  answering: boolean;
  disabled: boolean;
  onSend: (content: string, interrupt: boolean) => void;
  onStop: () => void;
  /** Text put in the box from outside (a suggestion), with a counter so the same one can repeat. */
  draft?: { text: string; version: number };
}

/** The message box: Enter sends, Shift+Enter adds a line, Esc stops an answer being written. */
export function Composer({ answering, disabled, onSend, onStop, draft }: Props) {
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (draft) {
      setText(draft.text);
      box.current?.focus();
    }
  }, [draft?.version]);

  useEffect(() => {
    if (!answering) setConfirming(false);
  }, [answering]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 240)}px`;
  }, [text]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      if (confirming) setConfirming(false);
      else if (answering) onStop();
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [answering, confirming, onStop]);

  const submit = (interrupt: boolean) => {
    const content = text.trim();
    if (!content || disabled) return;
    if (answering && !interrupt) {
      setConfirming(true);
      return;
    }
    onSend(content, interrupt);
    setText('');
    setConfirming(false);
    box.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit(false);
      }}
    >
      {confirming ? (
        <div class="interrupt-offer" role="alertdialog" aria-label="Interrupt the answer?">
          <span>Parley is still answering. Stop that answer and send this?</span>
          <span class="interrupt-actions">
            <button type="button" class="button primary small" onClick={() => submit(true)}>Stop and send</button>
            <button type="button" class="button small" onClick={() => setConfirming(false)}>Keep waiting</button>
          </span>
        </div>
      ) : null}
      <div class="composer-row">
        <label class="visually-hidden" for="message-box">Message</label>
        <textarea
          id="message-box"
          ref={box}
          rows={1}
          value={text}
          placeholder="Message Parley…"
          aria-describedby="composer-hint"
          onInput={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              submit(false);
            }
          }}
        />
        <MicButton disabled={disabled} onText={(spoken) => setText((current) => (current.trim() === '' ? spoken : `${current.trimEnd()} ${spoken}`))} />
        {answering ? (
          <button type="button" class="button stop" onClick={onStop} aria-label="Stop the answer (Esc)" title="Stop (Esc)">
            <span class="stop-icon" aria-hidden="true" /> Stop
          </button>
        ) : null}
        <button type="submit" class="button primary send" disabled={disabled || text.trim() === ''} aria-label="Send message" title="Send (Enter)">
          Send
        </button>
      </div>
      <p id="composer-hint" class="composer-hint">
        Enter sends · Shift+Enter adds a line{answering ? ' · Esc stops the answer' : ''}
      </p>
    </form>
  );
}
