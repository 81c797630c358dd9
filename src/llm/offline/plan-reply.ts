import { summarizeEntries } from '../summarize-extractive.js';
import { summaryInstruction } from '../summarize-prompt.js';
import { parseTranscript } from '../summarize-transcript.js';
import { titleInstruction } from '../title-prompt.js';
import { extractiveTitle } from '../title-text.js';
import { answerToolResults } from './answer-tool-results.js';
import { composeFallback, composers, isFirstTurn } from './compose-answer.js';
import { describeAttachments } from './describe-attachments.js';
import { detectIntent } from './detect-intent.js';
import { extractDataQuery, isDataRequest } from './extract-data-query.js';
import { extractExpression } from './extract-expression.js';
import { firstTurnNote, offlineIntro } from './offline-texts.js';
import type { Conversation } from './read-prompt.js';

export interface PlannedToolCall {
  toolCallId: string;
  toolName: string;
  input: Record<string, unknown>;
}

/** One model step: text, or tool calls (the SDK runs them and calls the model again). */
export type Reply = { kind: 'text'; text: string } | { kind: 'tool-calls'; calls: PlannedToolCall[] };

/**
 * Decides the offline model's next step. Order matters: a summary or title request, then answering
 * tool results, then attached files, then questions about the conversation, then tools, then small talk.
 */
export function planReply(conversation: Conversation, offeredTools: ReadonlySet<string>): Reply {
  if (conversation.system.includes(summaryInstruction)) {
    return text(summarizeEntries(parseTranscript(conversation.lastUserText)));
  }
  if (conversation.system.includes(titleInstruction)) {
    const first = parseTranscript(conversation.lastUserText).find((entry) => entry.role === 'user');
    return text(extractiveTitle(first?.text ?? ''));
  }
  if (conversation.lastRole === 'tool') return text(withFirstTurnNote(answerToolResults(conversation.toolOutcomes), conversation));
  if (conversation.lastAttachments.length > 0) return text(withFirstTurnNote(describeAttachments(conversation.lastAttachments), conversation));

  const message = conversation.lastUserText;
  const intent = detectIntent(message);
  if (intent?.outranksTools) return text(withFirstTurnNote(composers[intent.name](conversation), conversation));

  const requests = toolRequests(message);
  const calls = requests
    .filter((request) => offeredTools.has(request.toolName))
    .map((request, index) => ({ ...request, toolCallId: `offline-${conversation.messageCount}-${index}` }));
  if (calls.length > 0) return { kind: 'tool-calls', calls };
  if (requests.length > 0) {
    const names = requests.map((request) => request.toolName).join(' and ');
    return text(withFirstTurnNote(`I would need the ${names} tool for that, and it is not available right now.`, conversation));
  }

  if (intent) return text(withFirstTurnNote(composers[intent.name](conversation), conversation));
  return text(composeFallback(conversation));
}

function toolRequests(message: string): Array<Omit<PlannedToolCall, 'toolCallId'>> {
  const requests: Array<Omit<PlannedToolCall, 'toolCallId'>> = [];
  const expression = extractExpression(message);
  if (expression !== null) requests.push({ toolName: 'calculator', input: { expression } });
  if (isDataRequest(message)) {
    const query = extractDataQuery(message);
    requests.push({ toolName: 'fetch_data', input: query.length > 0 ? { source: 'sample', query } : { source: 'sample' } });
  }
  return requests;
}

/** The contract: the offline model says what it is, at least on a conversation's first turn. */
function withFirstTurnNote(answer: string, conversation: Conversation): string {
  return isFirstTurn(conversation) && !answer.includes(offlineIntro) ? `${answer}\n\n${firstTurnNote}` : answer;
}

function text(value: string): Reply {
  return { kind: 'text', text: value };
}
