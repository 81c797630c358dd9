import type { HistoryItem } from '../protocol/index.js';
import { cutAtWord } from '../text/cut-at-word.js';
import { toTranscriptEntries, type TranscriptEntry } from './summarize-transcript.js';

export const emptyConversationSummary = 'No messages were exchanged.';

const maxListedTools = 3;

/** A summary built from the conversation itself, with no model: used when the model fails. */
export function extractiveSummary(history: readonly HistoryItem[]): string {
  return summarizeEntries(toTranscriptEntries(history));
}

/** Two or three sentences: what the user asked, what the tools found, how it ended. */
export function summarizeEntries(entries: readonly TranscriptEntry[]): string {
  const questions = entries.flatMap((entry) => (entry.role === 'user' ? [entry.text] : []));
  const answers = entries.filter((entry) => entry.role === 'assistant');
  if (questions.length === 0 && answers.length === 0) return emptyConversationSummary;
  const lastExchange = entries.findLast((entry) => entry.role === 'user' || entry.role === 'assistant');
  const outcome = lastExchange?.role === 'user' ? 'The last message got no answer.' : outcomeSentence(answers.at(-1));
  return [askedSentence(questions), toolsSentence(entries), outcome]
    .filter((sentence) => sentence !== undefined)
    .join(' ');
}

function askedSentence(questions: readonly string[]): string {
  const [first, second] = questions;
  const last = questions.at(-1);
  if (first === undefined || last === undefined) return 'The user sent no message.';
  if (questions.length === 1) return endSentence(`The user asked: "${quote(first)}"`);
  if (questions.length === 2) return endSentence(`The user asked: "${quote(first)}", then "${quote(second ?? last)}"`);
  return endSentence(`The user sent ${questions.length} messages, from "${quote(first)}" to "${quote(last)}"`);
}

function toolsSentence(entries: readonly TranscriptEntry[]): string | undefined {
  const pending = new Map<string, string[]>();
  const outcomes: string[] = [];
  for (const entry of entries) {
    if (entry.role === 'tool_call') {
      pending.set(entry.name, [...(pending.get(entry.name) ?? []), argumentLabel(entry.input)]);
    } else if (entry.role === 'tool_result') {
      const queue = pending.get(entry.name) ?? [];
      const label = queue.shift() ?? '';
      const call = `${entry.name}(${label})`;
      outcomes.push(entry.failed ? `${call} failed (${cutAtWord(entry.output, 80)})` : `${call} returned ${shortOutput(entry.output)}`);
    }
  }
  if (outcomes.length === 0) return undefined;
  const shown = outcomes.slice(0, maxListedTools);
  const more = outcomes.length > shown.length ? `; and ${outcomes.length - shown.length} more tool calls` : '';
  return endSentence(`Tools: ${shown.join('; ')}${more}`);
}

function outcomeSentence(answer: Extract<TranscriptEntry, { role: 'assistant' }> | undefined): string {
  if (answer === undefined) return 'No answer was given.';
  const state = answer.status === 'complete' ? '' : ` (${answer.status})`;
  if (answer.text.length === 0) return `The last answer${state} was empty.`;
  return endSentence(`The last answer${state} was: "${quote(leadingSentences(answer.text), 160)}"`);
}

/** The opening of an answer, enough to say what it was ("Sure!" alone is not). */
function leadingSentences(text: string, minLength = 12): string {
  let lead = '';
  for (const sentence of text.split(/(?<=[.!?])\s+/)) {
    lead = lead.length === 0 ? sentence : `${lead} ${sentence}`;
    if (lead.length >= minLength) break;
  }
  return lead;
}

/** The argument a person would name a call by: the expression, the query, or the first text. */
function argumentLabel(input: string): string {
  try {
    const parsed: unknown = JSON.parse(input);
    if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as Record<string, unknown>;
      const preferred = [record.expression, record.query, ...Object.values(record)].find((value) => typeof value === 'string');
      if (typeof preferred === 'string') return cutAtWord(preferred, 60);
    }
  } catch {
    // A truncated or non-JSON input is shown as written.
  }
  return cutAtWord(input, 60);
}

function shortOutput(output: string): string {
  return /^\d+ records?\b/.exec(output)?.[0] ?? cutAtWord(output, 60);
}

function quote(text: string, maxLength = 100): string {
  return cutAtWord(text, maxLength).replace(/"/g, "'").replace(/[.]+$/, '');
}

function endSentence(text: string): string {
  return /[.?!…]"?$/.test(text) ? text : `${text}.`;
}
