import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionSummary } from '../api/sessions-api.js';
import { formatDuration, formatWhen, plural } from '../text/format.js';
import './session-item.css';

interface Props {
  session: SessionSummary;
  current: boolean;
  onOpen: (sessionId: string) => void;
  onRename: (sessionId: string, title: string) => Promise<void>;
  onDelete: (sessionId: string) => Promise<void>;
}

type Mode = { kind: 'view' } | { kind: 'renaming'; draft: string } | { kind: 'confirming' } | { kind: 'busy' };

/** One past session: its title opens it; rename edits the title in place; delete asks first. */
export function SessionItem({ session, current, onOpen, onRename, onDelete }: Props) {
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const name = sessionName(session);

  useEffect(() => {
    if (mode.kind === 'renaming') input.current?.select();
  }, [mode.kind]);

  const act = async (work: () => Promise<void>) => {
    setMode({ kind: 'busy' });
    setProblem(null);
    try {
      await work();
      setMode({ kind: 'view' });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      setMode({ kind: 'view' });
    }
  };

  if (mode.kind === 'renaming') {
    const save = (event: Event) => {
      event.preventDefault();
      const title = mode.draft.trim();
      if (title === '' || title === session.title) return setMode({ kind: 'view' });
      void act(() => onRename(session.session_id, title));
    };
    return (
      <form class="session-item session-rename" onSubmit={save} data-session-id={session.session_id}>
        <input
          ref={input}
          class="session-rename-input"
          aria-label="Session title"
          value={mode.draft}
          maxLength={120}
          onInput={(event) => setMode({ kind: 'renaming', draft: event.currentTarget.value })}
          onKeyDown={(event) => event.key === 'Escape' && setMode({ kind: 'view' })}
        />
        <span class="session-actions">
          <button type="submit" class="button small primary">Save</button>
          <button type="button" class="button small" onClick={() => setMode({ kind: 'view' })}>Cancel</button>
        </span>
      </form>
    );
  }

  return (
    <div class="session-entry" data-session-id={session.session_id}>
      <a
        href={`/?session=${encodeURIComponent(session.session_id)}`}
        class="session-item"
        aria-current={current ? 'page' : undefined}
        data-session-id={session.session_id}
        onClick={(event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          onOpen(session.session_id);
        }}
      >
        <span class="session-summary">{name}</span>
        <span class="session-meta">
          <time dateTime={session.start_time}>{formatWhen(session.start_time)}</time>
          {sessionLength(session)}
          {session.is_active ? <span class="live-dot" title="Active">active</span> : null}
        </span>
      </a>
      {mode.kind === 'confirming' ? (
        <div class="session-confirm" role="group" aria-label="Delete this session?">
          <span>Delete “{name}”? This cannot be undone.</span>
          <span class="session-actions">
            <button type="button" class="button small danger" onClick={() => void act(() => onDelete(session.session_id))}>Delete</button>
            <button type="button" class="button small" onClick={() => setMode({ kind: 'view' })}>Cancel</button>
          </span>
        </div>
      ) : (
        <span class="session-tools">
          <button type="button" class="button icon small" aria-label={`Rename ${name}`} title="Rename" disabled={mode.kind === 'busy'} onClick={() => setMode({ kind: 'renaming', draft: session.title ?? name })}>
            <span aria-hidden="true">✎</span>
          </button>
          <button type="button" class="button icon small" aria-label={`Delete ${name}`} title="Delete" disabled={mode.kind === 'busy'} onClick={() => setMode({ kind: 'confirming' })}>
            <span aria-hidden="true">🗑</span>
          </button>
        </span>
      )}
      {problem ? <p class="session-problem" role="alert">{problem}</p> : null}
    </div>
  );
}

/** The title; for a session from before titles, the first line of its summary. */
export function sessionName(session: Pick<SessionSummary, 'title' | 'summary'>): string {
  if (session.title) return session.title;
  const line = session.summary?.trim().split('\n')[0] ?? '';
  if (line === '') return 'Untitled conversation';
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

function sessionLength(session: SessionSummary): string {
  const parts: string[] = [];
  const { duration_seconds: seconds, message_count: messages } = session.metadata;
  if (typeof seconds === 'number') parts.push(formatDuration(seconds * 1000));
  if (typeof messages === 'number') parts.push(plural(messages, 'message', 'messages'));
  return parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
}
