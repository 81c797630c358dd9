import type { HistoryItem, TurnStatus } from '../protocol/index.js';
import { cutAtWord } from '../text/cut-at-word.js';
import { describeToolOutput } from './offline/describe-tool-output.js';

/** A conversation reduced to one line per entry: what a summary reads, written or parsed. */
export type TranscriptEntry =
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string; status: TurnStatus }
  | { role: 'tool_call'; name: string; input: string }
  | { role: 'tool_result'; name: string; output: string; failed: boolean };

export const transcriptOpen = '<transcript>';
export const transcriptClose = '</transcript>';

const maxEntryCharacters = 500;
const maxToolCharacters = 300;
export const maxTranscriptCharacters = 12_000;

export function toTranscriptEntries(history: readonly HistoryItem[]): TranscriptEntry[] {
  return history.map((item): TranscriptEntry => {
    switch (item.type) {
      case 'user_message': {
        // The summary names the files a message carried; their content is the model's to read in the turn.
        const files = item.attachments?.length ? ` [attached: ${item.attachments.map((attachment) => attachment.name).join(', ')}]` : '';
        return { role: 'user', text: oneLine(item.content + files, maxEntryCharacters) };
      }
      case 'assistant_message':
        return { role: 'assistant', text: oneLine(item.content, maxEntryCharacters), status: item.status };
      case 'tool_call':
        return { role: 'tool_call', name: item.name, input: oneLine(JSON.stringify(item.arguments ?? {}), maxToolCharacters) };
      case 'tool_result':
        return item.error === undefined
          ? { role: 'tool_result', name: item.name, output: oneLine(describeToolOutput(item.result), maxToolCharacters), failed: false }
          : { role: 'tool_result', name: item.name, output: oneLine(item.error, maxToolCharacters), failed: true };
    }
  });
}

/**
 * The transcript a summary request carries. Past the size limit it keeps the opening and the
 * end of the conversation, which say what was asked and how it ended, and notes the gap.
 */
export function formatTranscript(entries: readonly TranscriptEntry[], maxCharacters = maxTranscriptCharacters): string {
  const lines = entries.map(formatEntry);
  const total = lines.reduce((sum, line) => sum + line.length + 1, 0);
  if (total <= maxCharacters) return lines.join('\n');

  const head: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > maxCharacters / 3) break;
    head.push(line);
    used += line.length + 1;
  }
  const tail: string[] = [];
  for (const line of lines.slice(head.length).reverse()) {
    if (used + line.length + 1 > maxCharacters) break;
    tail.unshift(line);
    used += line.length + 1;
  }
  const omitted = lines.length - head.length - tail.length;
  return [...head, `[${omitted} entries omitted]`, ...tail].join('\n');
}

/** Reads back what `formatTranscript` wrote (inside the transcript markers, when present). */
export function parseTranscript(text: string): TranscriptEntry[] {
  const start = text.indexOf(transcriptOpen);
  const end = text.lastIndexOf(transcriptClose);
  const body = start >= 0 && end > start ? text.slice(start + transcriptOpen.length, end) : text;
  return body.split('\n').flatMap((line) => {
    const entry = parseLine(line);
    return entry ? [entry] : [];
  });
}

function formatEntry(entry: TranscriptEntry): string {
  switch (entry.role) {
    case 'user':
      return `User: ${entry.text}`;
    case 'assistant':
      return entry.status === 'complete' ? `Assistant: ${entry.text}` : `Assistant (${entry.status}): ${entry.text}`;
    case 'tool_call':
      return `Tool call ${entry.name}: ${entry.input}`;
    case 'tool_result':
      return `Tool ${entry.failed ? 'error' : 'result'} ${entry.name}: ${entry.output}`;
  }
}

function parseLine(line: string): TranscriptEntry | undefined {
  const user = /^User: ?(.*)$/.exec(line);
  if (user) return { role: 'user', text: user[1] ?? '' };
  const assistant = /^Assistant(?: \((cancelled|error|interrupted)\))?: ?(.*)$/.exec(line);
  if (assistant) return { role: 'assistant', text: assistant[2] ?? '', status: (assistant[1] as TurnStatus | undefined) ?? 'complete' };
  const tool = /^Tool (call|result|error) ([\w.-]+): ?(.*)$/.exec(line);
  if (!tool) return undefined;
  const [, kind, name = '', rest = ''] = tool;
  return kind === 'call' ? { role: 'tool_call', name, input: rest } : { role: 'tool_result', name, output: rest, failed: kind === 'error' };
}

function oneLine(text: string, maxLength: number): string {
  return cutAtWord(text.replace(/\s+/g, ' ').trim(), maxLength);
}
