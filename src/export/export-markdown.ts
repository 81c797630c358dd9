import type { HistoryItem } from '../protocol/index.js';
import type { SessionRow } from '../store/types.js';

/**
 * A session as a Markdown transcript. What users and the model wrote goes into code fences
 * longer than any backtick run it holds, so when the file is rendered none of it becomes
 * HTML, a link or a heading (a message cannot forge another speaker); the text stays exact.
 * Everything else the server writes is escaped inline.
 */
export function markdownHeading(session: Pick<SessionRow, 'session_id' | 'title' | 'start_time' | 'end_time' | 'is_active' | 'summary'>): string {
  const lines = [
    `# ${escapeInline(session.title ?? 'Parley conversation')}`,
    '',
    `- Session: \`${session.session_id}\``,
    `- Started: ${session.start_time}`,
    `- ${session.end_time === null || session.is_active ? 'Still active' : `Ended: ${session.end_time}`}`,
  ];
  if (session.summary !== null) lines.push(`- Summary: ${escapeInline(session.summary)}`);
  return `${lines.join('\n')}\n`;
}

export function markdownItem(item: HistoryItem): string {
  switch (item.type) {
    case 'user_message':
      return `\n## User · ${item.created_at}\n\n${fence(item.content, 'text')}`;
    case 'assistant_message': {
      const status = item.status === 'complete' ? '' : ` · ${item.status}`;
      return `\n## Assistant · ${item.created_at}${status}\n\n${fence(item.content, 'markdown')}`;
    }
    case 'tool_call':
      return `\n**Tool call** ${code(item.name)} · ${item.created_at}\n\n${fence(json(item.arguments), 'json')}`;
    case 'tool_result': {
      const duration = item.duration_ms === undefined ? '' : ` · ${Math.round(item.duration_ms)} ms`;
      return item.error === undefined
        ? `\n**Tool result** ${code(item.name)} · ${item.created_at}${duration}\n\n${fence(json(item.result ?? null), 'json')}`
        : `\n**Tool error** ${code(item.name)} · ${item.created_at}${duration}\n\n${fence(item.error, 'text')}`;
    }
  }
}

/** A fenced block that nothing inside can close: its fence is longer than the longest backtick run in `text`. */
export function fence(text: string, language: string): string {
  const longestRun = Math.max(0, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
  const marks = '`'.repeat(Math.max(3, longestRun + 1));
  return `${marks}${language}\n${text}${text.endsWith('\n') ? '' : '\n'}${marks}\n`;
}

/** Every ASCII punctuation character backslash-escaped (CommonMark renders each as itself), on one line. */
export function escapeInline(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[!-/:-@[-`{-~]/g, (character) => `\\${character}`);
}

const backtick = '`';

function code(name: string): string {
  return backtick + name.replaceAll(backtick, "'") + backtick;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null';
}
