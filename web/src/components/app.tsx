import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getSession, type SessionSummary } from '../api/sessions-api.js';
import { deleteSession, renameSession } from '../api/session-changes-api.js';
import type { AuthView, PageAuth } from '../auth/page-auth.js';
import { ChatController, type SocketRefusal } from '../chat-controller.js';
import { browserUserId, newSessionId, sessionIdFromAddress, showSessionInAddress } from '../session-address.js';
import { errorWords } from '../text/error-words.js';
import { AccountFooter } from './account-footer.js';
import { AnswerAnnouncer } from './answer-announcer.js';
import { ChatLog } from './chat-log.js';
import { Composer } from './composer.js';
import { ConnectionBadge } from './connection-badge.js';
import { ConnectionBanner } from '../connection/connection-banner.js';
import { EmptyState } from './empty-state.js';
import { ExportMenu } from './export-menu.js';
import { ModelNote } from './model-note.js';
import { ModelPicker } from './model-picker.js';
import { SessionDetails } from './session-details.js';
import { SessionList } from './session-list.js';
import { SearchBox } from '../search/search-box.js';
import { useScrollToSeq, type SearchTarget } from '../search/use-scroll-to-seq.js';
import { TokenExpiryNote } from './token-expiry-note.js';
import { useChatState } from './use-chat-state.js';
import { useFocusTrap } from './use-focus-trap.js';
import { useSessionList } from './use-session-list.js';

const userId = browserUserId();

/** A session this page just made up has no summary to fetch yet. */
const createdHere = new Set<string>();

function initialSessionId(): string {
  const fromAddress = sessionIdFromAddress();
  if (fromAddress) return fromAddress;
  const created = newSessionId();
  createdHere.add(created);
  showSessionInAddress(created, 'replace');
  return created;
}

interface Props {
  auth: PageAuth;
  view: Extract<AuthView, { kind: 'open' } | { kind: 'signed-in' }>;
}

export function App({ auth, view }: Props) {
  const [sessionId, setSessionId] = useState(initialSessionId);
  const [refused, setRefused] = useState<SocketRefusal | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [details, setDetails] = useState<SessionSummary | null>(null);
  const [draft, setDraft] = useState<{ text: string; version: number }>();
  const [searchTarget, setSearchTarget] = useState<SearchTarget | null>(null);

  const controller = useMemo(
    () =>
      new ChatController(sessionId, userId, {
        token: () => auth.token(),
        renewToken: (stale) => auth.renew(stale),
        // A token the server no longer takes is the sign-in step's business; other refusals are this session's.
        onRefused: (refusal) => (refusal.code === 'unauthorized' ? auth.refused(refusal.token, refusal) : setRefused(refusal)),
      }),
    [sessionId, auth],
  );
  useEffect(() => {
    setRefused(null);
    controller.start();
    return () => controller.stop();
  }, [controller]);
  const state = useChatState(controller.store);
  const sessions = useSessionList();
  useScrollToSeq(controller, state, searchTarget, () => setSearchTarget(null));

  // A session exists once it holds a message (issue 15): an unused id is not asked about.
  const stored = state.loaded && state.lastSeq > 0;
  useEffect(() => {
    let current = true;
    setDetails(null);
    if (createdHere.has(sessionId) || !stored) return;
    getSession(sessionId).then((found) => current && setDetails(found), () => undefined);
    return () => {
      current = false;
    };
  }, [sessionId, stored]);

  // A finished turn may have created this session or changed its length: refresh the list.
  const wasAnswering = useRef(false);
  useEffect(() => {
    if (wasAnswering.current && !state.turnInProgress) sessions.refresh();
    wasAnswering.current = state.turnInProgress;
  }, [state.turnInProgress]);

  useEffect(() => {
    if (!drawerOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setDrawerOpen(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [drawerOpen]);

  // The drawer exists only at phone width: there it holds the focus while open.
  const sidebar = useRef<HTMLElement>(null);
  useFocusTrap(sidebar, drawerOpen && matchMedia('(max-width: 760px)').matches);

  useEffect(() => {
    const onPopState = () => setSessionId(sessionIdFromAddress() ?? newSessionId());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const open = useCallback((id: string) => {
    showSessionInAddress(id, 'push');
    setSessionId(id);
    setDrawerOpen(false);
    sessions.refresh();
  }, [sessions.refresh]);

  const openAt = useCallback((id: string, seq: number) => {
    setSearchTarget({ sessionId: id, seq });
    open(id);
  }, [open]);

  const startNew = useCallback(() => {
    const created = newSessionId();
    createdHere.add(created);
    open(created);
  }, [open]);
  const rename = useCallback(async (id: string, title: string) => {
    await renameSession(id, title);
    sessions.refresh();
  }, [sessions.refresh]);
  const remove = useCallback(async (id: string) => {
    await deleteSession(id);
    if (id === sessionId) startNew();
    else sessions.refresh();
  }, [sessionId, startNew, sessions.refresh]);
  // A title frame (the model named the session, or it was renamed elsewhere): the list shows it too.
  useEffect(() => {
    if (state.title !== null) sessions.refresh();
  }, [state.title]);
  const stop = useCallback(() => controller.cancel(), [controller]);
  const loadOlder = useCallback(() => void controller.loadOlder(), [controller]);
  // The first message shown is the conversation's first only once no older turns are left to read.
  const firstMessage = state.olderTurns === 'none' ? state.turns.find((turn) => turn.user)?.user?.content : undefined;
  const title = state.title ?? details?.title ?? (firstMessage ? firstLine(firstMessage) : details?.summary ? firstLine(details.summary) : state.olderTurns === 'none' ? 'New conversation' : 'Conversation');
  useEffect(() => {
    document.title = `${title} · Parley`;
  }, [title]);
  const empty = state.loaded && state.turns.length === 0;

  return (
    <div class={`app ${drawerOpen ? 'drawer-open' : ''}`}>
      <a
        class="skip-link"
        href="#message-box"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('message-box')?.focus();
        }}
      >
        Skip to the message box
      </a>
      <aside class="sidebar" id="sidebar" aria-label="Sessions panel" ref={sidebar}>
        <div class="sidebar-head">
          <span class="brand"><span class="brand-mark" aria-hidden="true">◆</span> Parley</span>
          <button type="button" class="button primary small" onClick={startNew}>New session</button>
        </div>
        <SearchBox onOpen={openAt} />
        <SessionList
          sessions={sessions.sessions}
          currentId={sessionId}
          loading={sessions.loading}
          failed={sessions.failed}
          hasMore={sessions.hasMore}
          onOpen={open}
          onRename={rename}
          onDelete={remove}
          onMore={sessions.more}
        />
        <a class="sidebar-link" href="/dashboard">Dashboard</a>
        <AccountFooter view={view} onSignOut={() => auth.signOut()} />
      </aside>
      <button type="button" class="scrim" aria-label="Close the sessions panel" tabIndex={-1} onClick={() => setDrawerOpen(false)} />
      <main class={`chat${state.connection === 'live' ? '' : ' chat-disconnected'}`}>
        <header class="topbar">
          <button
            type="button"
            class="button icon menu"
            aria-label="Sessions"
            aria-controls="sidebar"
            aria-expanded={drawerOpen}
            onClick={() => setDrawerOpen(!drawerOpen)}
          >
            <span aria-hidden="true">☰</span>
          </button>
          <h1 class="title" title={title}>{title}</h1>
          {state.models.length > 1 ? (
            <ModelPicker models={state.models} current={state.model?.id} onPick={(id) => controller.pickModel(id)} />
          ) : state.model ? (
            <span class="model" title="The model answering">
              {state.model.provider} · {state.model.model}
            </span>
          ) : null}
          {state.turns.length > 0 || details ? <ExportMenu sessionId={sessionId} /> : null}
          <ConnectionBadge status={refused ? 'offline' : state.connection} />
        </header>
        <TokenExpiryNote auth={auth} />
        {refused ? null : <ConnectionBanner state={state} onReconnectNow={() => controller.reconnectNow()} />}
        {refused ? <div class="banner banner-error" role="alert" data-code={refused.code}>{errorWords(refused.code)}</div> : null}
        {state.notice && state.notice.code !== refused?.code ? (
          <div class={`banner ${state.notice.recoverable ? 'banner-warning' : 'banner-error'}`} role="alert" data-code={state.notice.code}>
            <span>{errorWords(state.notice.code, state.notice.retryAfterS)}</span>
            <button type="button" class="link-button" onClick={() => controller.store.dispatch({ type: 'dismiss-notice' })}>Dismiss</button>
          </div>
        ) : null}
        <ChatLog
          turns={state.turns}
          onRetry={(id) => controller.retry(id)}
          sessionId={sessionId}
          olderTurns={state.olderTurns}
          onLoadOlder={loadOlder}
          actions={controller}
          turnInProgress={state.turnInProgress}
        >
          {details ? <SessionDetails session={details} /> : null}
          {state.model?.provider === 'offline' ? <ModelNote open={empty} /> : null}
          {!state.loaded ? <p class="loading muted">Opening the conversation…</p> : null}
          {empty ? <EmptyState onPick={(text) => setDraft({ text, version: (draft?.version ?? 0) + 1 })} /> : null}
        </ChatLog>
        <Composer
          answering={state.turnInProgress && state.connection === 'live'}
          disabled={refused !== null}
          sessionId={sessionId}
          onSend={(content, interrupt, attachments) => controller.send(content, interrupt, attachments)}
          onStop={stop}
          {...(draft ? { draft } : {})}
        />
        <AnswerAnnouncer turns={state.turns} />
      </main>
    </div>
  );
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}
