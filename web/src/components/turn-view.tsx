import { Component } from 'preact';
import { UserAttachments } from './user-attachments.js';
import type { ChatTurn } from '../state/chat-state.js';
import { errorWords } from '../text/error-words.js';
import { ReadAloud } from '../voice/read-aloud.js';
import { formatDuration, plural } from '../text/format.js';
import { MarkdownView } from './markdown-view.js';
import { ToolCard } from './tool-card.js';

interface Props {
  turn: ChatTurn;
  onRetry: (id: string) => void;
  sessionId: string;
}

const statusWords: Partial<Record<ChatTurn['status'], string>> = {
  cancelled: 'Stopped',
  interrupted: 'Interrupted',
  error: 'The answer failed',
};

/** One exchange. Turns are immutable objects, so an unchanged turn skips rendering. */
export class TurnView extends Component<Props> {
  override shouldComponentUpdate(next: Props): boolean {
    return next.turn !== this.props.turn;
  }

  override render({ turn, onRetry, sessionId }: Props) {
    const { user } = turn;
    const streaming = turn.status === 'streaming';
    const waiting = streaming && turn.parts.length === 0;
    const statusWord = statusWords[turn.status];
    return (
      <article class={`turn turn-${turn.status}`} data-status={turn.status} data-seq={user?.seq}>
        {user ? (
          <div class={`user-message user-${user.state}`} aria-label="You said">
            {user.attachments?.length ? <UserAttachments sessionId={sessionId} attachments={user.attachments} /> : null}
            {user.content ? <p class="user-text">{user.content}</p> : null}
            {user.state === 'pending' ? <span class="user-state">Sending…</span> : null}
          </div>
        ) : null}
        {turn.status === 'not-sent' ? (
          <div class="turn-problem" role="alert">
            <span>Not sent. {errorWords(turn.error?.code ?? 'internal', turn.error?.retryAfterS)}</span>
            {user?.id !== undefined ? <button type="button" class="link-button" onClick={() => onRetry(user.id!)}>Retry</button> : null}
          </div>
        ) : (
          <div class="assistant-message" aria-label="Parley answered" aria-busy={streaming ? 'true' : 'false'}>
            {turn.parts.map((part, index) =>
              part.kind === 'text' ? <MarkdownView key={`text-${index}`} text={part.content} streaming={streaming && index === turn.parts.length - 1} /> : <ToolCard key={part.callId} part={part} />,
            )}
            {waiting ? <div class="thinking" aria-label="Parley is thinking"><span /><span /><span /></div> : null}
            {streaming && turn.parts.at(-1)?.kind === 'tool' ? <div class="thinking" aria-hidden="true"><span /><span /><span /></div> : null}
            <ReadAloud turn={turn} />
            {turn.error ? (
              <p class="turn-problem" role="alert">
                {errorWords(turn.error.code, turn.error.retryAfterS)}
              </p>
            ) : null}
            {statusWord || turn.measures || turn.model ? (
              <footer class="turn-footer">
                {statusWord ? <span class={`turn-badge badge-${turn.status}`}>{statusWord}</span> : null}
                {turn.model ? <span class="turn-model" title="The model that answered">{turn.model}</span> : null}
                {turn.measures ? <Measures turn={turn} /> : null}
              </footer>
            ) : null}
          </div>
        )}
      </article>
    );
  }
}

function Measures({ turn }: { turn: ChatTurn }) {
  const measures = turn.measures!;
  const items: string[] = [];
  if (measures.ttftMs !== undefined) items.push(`first token ${formatDuration(measures.ttftMs)}`);
  if (measures.durationMs !== undefined) items.push(`took ${formatDuration(measures.durationMs)}`);
  if (measures.completionTokens !== undefined) items.push(plural(measures.completionTokens, 'token', 'tokens'));
  if (items.length === 0) return null;
  return <span class="turn-measures">{items.join(' · ')}</span>;
}
