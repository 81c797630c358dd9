import type { ToolPart } from '../state/chat-state.js';
import { formatDuration } from '../text/format.js';
import { toolLabel } from '../text/tool-label.js';

/** A tool call in the flow of the answer: what was asked, what came back, how long it took. */
export function ToolCard({ part }: { part: ToolPart }) {
  const state = !part.finished ? 'running' : part.error !== undefined ? 'failed' : part.durationMs === undefined && !('result' in part) ? 'unknown' : 'done';
  const { label, server } = toolLabel(part.name);
  return (
    <section class={`tool-card tool-${state}`} aria-label={`Tool ${label}${server ? ` from ${server}` : ''}: ${state}`} data-tool={part.name} data-state={state}>
      <header class="tool-head">
        <span class="tool-icon" aria-hidden="true">{part.name === 'calculator' ? '∑' : server ? '⚙' : '⌕'}</span>
        <span class="tool-name">{label}</span>
        {server ? <span class="tool-server" title="MCP server">{server}</span> : null}
        <span class="tool-status">
          {state === 'running' ? (
            <>
              <span class="spinner" aria-hidden="true" /> running…
            </>
          ) : state === 'failed' ? (
            'failed'
          ) : state === 'unknown' ? (
            'did not finish'
          ) : (
            ''
          )}
          {part.durationMs !== undefined ? <span class="tool-time">{formatDuration(part.durationMs)}</span> : null}
        </span>
      </header>
      <div class="tool-body">
        <ToolValue label="Input" value={part.arguments} />
        {part.error !== undefined ? <div class="tool-row tool-error"><span class="tool-key">Error</span><span>{part.error}</span></div> : null}
        {'result' in part && part.error === undefined ? <ToolValue label="Result" value={mainValue(part.result)} /> : null}
      </div>
    </section>
  );
}

function ToolValue({ label, value }: { label: string; value: unknown }) {
  const text = describe(value);
  if (text.length > 160 || text.includes('\n')) {
    return (
      <details class="tool-row tool-long">
        <summary>
          <span class="tool-key">{label}</span> <span class="tool-preview">{text.slice(0, 80).replace(/\s+/g, ' ')}…</span>
        </summary>
        <pre>{text}</pre>
      </details>
    );
  }
  return (
    <div class="tool-row">
      <span class="tool-key">{label}</span>
      <code>{text}</code>
    </div>
  );
}

/** `{expression, result}` reads best as its result: the input is shown above it. */
function mainValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'result' in value) {
    const { result } = value;
    if (result === null || typeof result !== 'object') return result;
  }
  return value;
}

/** A single-field object shows its value (`{expression: "2+2"}` reads as `2+2`). */
function describe(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  // Tool results arrive as JSON: what is left here is a number, a boolean or null.
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (!Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    const only = entries.length === 1 ? entries[0]![1] : undefined;
    if (only !== undefined && (only === null || typeof only !== 'object')) return typeof only === 'string' ? only : JSON.stringify(only);
    if (entries.every(([, item]) => item === null || typeof item !== 'object')) {
      return entries.map(([key, item]) => `${key}: ${String(item)}`).join(', ');
    }
  }
  return JSON.stringify(value, null, 2);
}
