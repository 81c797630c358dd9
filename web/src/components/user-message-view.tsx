import { useEffect, useRef, useState } from 'preact/hooks';
import type { UserMessage } from '../state/chat-state.js';
import { UserAttachments } from './user-attachments.js';

interface Props {
  user: UserMessage;
  sessionId: string;
  /** Sends a new text for this message; absent when it cannot be edited now. */
  onEdit?: ((content: string) => void) | undefined;
}

/** What the user said, with "Edit": the new text is sent as an edit and replaces this turn and the ones after it. */
export function UserMessageView({ user, sessionId, onEdit }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (draft !== null) area.current?.focus();
  }, [draft === null]);
  const editing = draft !== null && onEdit !== undefined;
  const submit = () => {
    const content = draft?.trim() ?? '';
    if (content === '' || !onEdit) return;
    setDraft(null);
    onEdit(content);
  };

  return (
    <div class={`user-message user-${user.state}`} aria-label="You said">
      {user.attachments?.length ? <UserAttachments sessionId={sessionId} attachments={user.attachments} /> : null}
      {editing ? (
        <form
          class="user-edit"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <textarea
            ref={area}
            class="user-edit-text"
            aria-label="Edit your message"
            rows={Math.min(8, Math.max(2, draft.split('\n').length))}
            value={draft}
            onInput={(event) => setDraft(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setDraft(null);
              if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
                event.preventDefault();
                submit();
              }
            }}
          />
          <span class="user-edit-buttons">
            <button type="button" class="button" onClick={() => setDraft(null)}>Cancel</button>
            <button type="submit" class="button primary" disabled={draft.trim() === ''}>Send</button>
          </span>
        </form>
      ) : (
        <>
          {user.content ? <p class="user-text">{user.content}</p> : null}
          {user.state === 'pending' ? <span class="user-state">Sending…</span> : null}
          {user.state === 'queued' ? <span class="user-state">Waiting to send…</span> : null}
          {onEdit ? (
            <button type="button" class="answer-action user-edit-button" data-action="edit" title="Edit this message and send it again (it replaces this answer and the ones after it)" onClick={() => setDraft(user.content)}>
              Edit
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}
