import { Component } from 'preact';
import type { ChatTurn } from '../state/chat-state.js';
import type { AllowedActions } from '../state/turn-actions-allowed.js';
import { AnswerActions } from './answer-actions.js';
import { UserMessageView } from './user-message-view.js';
import { errorWords } from '../text/error-words.js';
import { ReadAloud } from '../voice/read-aloud.js';
import { formatDuration, plural } from '../text/format.js';
import { MarkdownView } from './markdown-view.js';
import { ToolCard } from './tool-card.js';

interface Props {
  turn: ChatTurn;
  onRetry: (id: string) => void;
  sessionId: string;
  /** What the turn offers (turn-actions-allowed.ts), and what carries it out. */
  allowed?: AllowedActions;
  actions?: TurnActions;
}

/** Regenerate and edit, by the seq of the user message (chat-controller.ts). */
export interface TurnActions {
  regenerate(seq: number): void;
  edit(seq: number, content: string): void;
}

const sameAllowed = (a: AllowedActions | undefined, b: AllowedActions | undefined) => a?.copy === b?.copy && a?.regenerate === b?.regenerate && a?.edit === b?.edit;

const statusWords: Partial<Record<ChatTurn['status'], string>> = {
  cancelled: 'Stopped',
  interrupted: 'Interrupted',
  error: 'The answer failed',
};

/** One exchange. Turns are immutable objects, so an unchanged turn skips rendering. */
export class TurnView extends Component<Props> {
  override shouldComponentUpdate(next: Props): boolean {
    return next.turn !== this.props.turn || !sameAllowed(next.allowed, this.props.allowed);
  }

  override render({ turn, onRetry, sessionId, allowed, actions }: Props) {
    const { user } = turn;
    const seq = user?.seq;
    const onEdit = allowed?.edit && actions && seq !== undefined ? (content: string) => actions.edit(seq, content) : undefined;
    const onRegenerate = allowed?.regenerate && actions && seq !== undefined ? () => actions.regenerate(seq) : undefined;
    const streaming = turn.status === 'streaming';
    const waiting = streaming && turn.parts.length === 0;
    const statusWord = statusWords[turn.status];
    return (
      <article class={`turn turn-${turn.status}`} data-status={turn.status} data-seq={user?.seq}>
        {user ? <UserMessageView user={user} sessionId={sessionId} onEdit={onEdit} /> : null}
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
            <div class="answer-toolbar">
              <ReadAloud turn={turn} />
              <AnswerActions turn={turn} copy={allowed?.copy ?? false} onRegenerate={onRegenerate} />
            </div>
            {turn.error ? (
              <p class="turn-problem" role={turn.error.past ? undefined : 'alert'}>
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
