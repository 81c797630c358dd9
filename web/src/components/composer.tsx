import { useEffect, useRef, useState } from 'preact/hooks';
import type { Attachment } from '../../../src/protocol/index.js';
import { readyAttachments, uploadsInProgress, type PendingUpload } from '../attachments/pending-upload.js';
import { loadAttachmentsUi, useAttachmentsUi } from '../attachments/use-attachments-ui.js';
import { randomId } from '../../../client/src/index.js';
import { PaperclipIcon } from './file-icons.js';

const sizesToContent = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');
import { MicButton } from '../voice/mic-button.js';

interface Props {
  answering: boolean;
  disabled: boolean;
  onSend: (content: string, interrupt: boolean, attachments: Attachment[]) => void;
  /** Where files are uploaded. */
  sessionId: string;
  onStop: () => void;
  /** Text put in the box from outside (a suggestion), with a counter so the same one can repeat. */
  draft?: { text: string; version: number };
}

/** What the file picker offers; the server decides from the bytes anyway. */
const pickable = 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/*,.txt,.md,.csv,.json';

/**
 * The message box: Enter sends, Shift+Enter adds a line, Esc stops an answer being written.
 * Files come by the attach button, by dropping them on the box or by pasting an image; each
 * uploads at once and goes with the next message.
 */
export function Composer({ answering, disabled, onSend, onStop, draft, sessionId }: Props) {
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [uploads, setUploads] = useState<PendingUpload[]>([]);
  const [dragging, setDragging] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const aborts = useRef(new Map<string, AbortController>());
  const ui = useAttachmentsUi(uploads.length > 0);

  const update = (key: string, change: Partial<PendingUpload>) =>
    setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));

  const addFiles = (files: readonly File[]) => {
    for (const file of files) {
      const key = randomId();
      const abort = new AbortController();
      aborts.current.set(key, abort);
      setUploads((current) => [...current, { key, file, progress: 0 }]);
      void loadAttachmentsUi()
        .then(({ uploadFile }) => uploadFile(sessionId, file, (progress) => update(key, { progress }), abort.signal))
        .then(
          (attachment) => update(key, { attachment, progress: 1 }),
          (error: unknown) => update(key, { error: error instanceof Error ? error.message : String(error) }),
        )
        .finally(() => aborts.current.delete(key));
    }
  };

  const remove = (key: string) => {
    aborts.current.get(key)?.abort();
    setUploads((current) => current.filter((upload) => upload.key !== key));
  };

  // Files belong to the session they were uploaded to.
  useEffect(() => () => {
    for (const abort of aborts.current.values()) abort.abort();
    aborts.current.clear();
    setUploads([]);
  }, [sessionId]);

  useEffect(() => {
    if (draft) {
      setText(draft.text);
      box.current?.focus();
    }
  }, [draft?.version]);

  useEffect(() => {
    if (!answering) setConfirming(false);
  }, [answering]);

  // Ready to type on load and in a new session; not where a touch keyboard would cover half the page.
  useEffect(() => {
    if (matchMedia('(pointer: fine)').matches) box.current?.focus();
  }, [sessionId]);

  // The interrupt offer takes the focus (Enter confirms); once answered, it goes back to the box.
  const offer = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) offer.current?.focus();
    else if (wasConfirming.current) box.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  useEffect(() => {
    const element = box.current;
    // Where the browser sizes the box to its text (CSS field-sizing), measuring it here would
    // force a layout of the whole page on every key while an answer streams.
    if (!element || sizesToContent) return;
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

  const ready = readyAttachments(uploads);
  const uploading = uploadsInProgress(uploads);
  const canSend = !disabled && !uploading && (text.trim() !== '' || ready.length > 0);

  const submit = (interrupt: boolean) => {
    const content = text.trim();
    if (!canSend) return;
    if (answering && !interrupt) {
      setConfirming(true);
      return;
    }
    onSend(content, interrupt, ready);
    setUploads([]);
    setText('');
    setConfirming(false);
    box.current?.focus();
  };

  return (
    <form
      class={`composer${dragging ? ' composer-dragging' : ''}`}
      onSubmit={(event) => {
        event.preventDefault();
        submit(false);
      }}
      onDragOver={(event) => {
        if (!event.dataTransfer?.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        setDragging(false);
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length === 0) return;
        event.preventDefault();
        addFiles(files);
      }}
    >
      {confirming ? (
        <div class="interrupt-offer" role="alertdialog" aria-label="Interrupt the answer?">
          <span>Parley is still answering. Stop that answer and send this?</span>
          <span class="interrupt-actions">
            <button type="button" ref={offer} class="button primary small" onClick={() => submit(true)}>Stop and send</button>
            <button type="button" class="button small" onClick={() => setConfirming(false)}>Keep waiting</button>
          </span>
        </div>
      ) : null}
      {ui && uploads.length > 0 ? <ui.AttachTray uploads={uploads} onRemove={remove} /> : null}
      <div class="composer-row">
        <input
          ref={picker}
          type="file"
          multiple
          accept={pickable}
          class="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            addFiles([...(event.currentTarget.files ?? [])]);
            event.currentTarget.value = '';
          }}
        />
        <button type="button" class="button attach" disabled={disabled} aria-label="Attach files" title="Attach files (or drop or paste them here)" onClick={() => picker.current?.click()}>
          <PaperclipIcon />
        </button>
        <label class="visually-hidden" for="message-box">Message</label>
        <textarea
          id="message-box"
          ref={box}
          rows={1}
          value={text}
          placeholder="Message Parley…"
          aria-describedby="composer-hint"
          onInput={(event) => setText(event.currentTarget.value)}
          onPaste={(event) => {
            const files = [...(event.clipboardData?.files ?? [])];
            if (files.length === 0) return;
            event.preventDefault();
            addFiles(files);
          }}
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
        <button type="submit" class="button primary send" disabled={!canSend} aria-label="Send message" title={uploading ? 'Waiting for the files to upload' : 'Send (Enter)'}>
          Send
        </button>
      </div>
      <p id="composer-hint" class="composer-hint">
        Enter sends · Shift+Enter adds a line · drop or paste files to attach{answering ? ' · Esc stops the answer' : ''}
      </p>
    </form>
  );
}
