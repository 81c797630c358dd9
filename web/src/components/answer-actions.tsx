import { useEffect, useState } from 'preact/hooks';
import { copyToClipboard } from '../markdown/copy-to-clipboard.js';
import type { ChatTurn } from '../state/chat-state.js';
import { plainCopy } from '../text/plain-copy.js';

interface Props {
  turn: ChatTurn;
  copy: boolean;
  /** Asks for this answer again; absent when the turn does not offer it. */
  onRegenerate?: (() => void) | undefined;
}

/** How long "Copied" shows before the button says what it does again. */
const copiedForMs = 1500;

function answerMarkdown(turn: ChatTurn): string {
  return turn.parts.flatMap((part) => (part.kind === 'text' ? [part.content] : [])).join('\n\n');
}

/** Under an answer, beside "Read aloud": copy it as markdown or as plain text, and ask for it again. */
export function AnswerActions({ turn, copy, onRegenerate }: Props) {
  const [copied, setCopied] = useState<'markdown' | 'text' | 'failed' | null>(null);
  useEffect(() => {
    if (copied === null) return;
    const timer = setTimeout(() => setCopied(null), copiedForMs);
    return () => clearTimeout(timer);
  }, [copied]);
  if (!copy && !onRegenerate) return null;

  const copyAs = async (form: 'markdown' | 'text') => {
    const markdown = answerMarkdown(turn);
    const done = await copyToClipboard(form === 'markdown' ? markdown : plainCopy(markdown));
    setCopied(done ? form : 'failed');
  };

  return (
    <span class="answer-actions">
      {copy ? (
        <>
          <button type="button" class="answer-action" data-action="copy-markdown" title="Copy the answer as markdown" onClick={() => void copyAs('markdown')}>
            {copied === 'markdown' ? 'Copied' : 'Copy'}
          </button>
          <button type="button" class="answer-action" data-action="copy-text" title="Copy the answer as plain text, without markdown symbols" onClick={() => void copyAs('text')}>
            {copied === 'text' ? 'Copied' : 'Copy text'}
          </button>
        </>
      ) : null}
      {onRegenerate ? (
        <button type="button" class="answer-action" data-action="regenerate" title="Write this answer again (it replaces this one)" onClick={onRegenerate}>
          Regenerate
        </button>
      ) : null}
      <span class="visually-hidden" role="status">{copied === 'failed' ? 'The answer could not be copied.' : copied ? 'Copied.' : ''}</span>
    </span>
  );
}
