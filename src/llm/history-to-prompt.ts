import type { LanguageModelV3Prompt, LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';
import type { HistoryItem, TurnStatus } from '../protocol/index.js';
import type { AttachmentContent } from './attachment-content.js';
import { attachmentParts } from './attachment-parts.js';
import { toJsonValue } from './to-json-value.js';

type ToolCallItem = Extract<HistoryItem, { type: 'tool_call' }>;
type ToolResultItem = Extract<HistoryItem, { type: 'tool_result' }>;

/** Stands in for the answer a turn never gave, so the roles still alternate (see below). */
export const noAnswerNotes: Record<TurnStatus, string> = {
  complete: '[No answer was given to this message.]',
  cancelled: '[No answer: the user cancelled this turn.]',
  error: '[No answer: this turn failed.]',
  interrupted: '[No answer: this turn was interrupted.]',
};

const cancelledCall = 'The tool call was cancelled before it returned.';

/**
 * The conversation in the provider spec's prompt format, rebuilt from the event log: the
 * one conversion every model reads (Gemini through the AI SDK, the OpenAI-compatible adapter
 * at its own edge, the offline model). A turn is stored as user message, tool calls and
 * results, then one assistant message with the whole text; the model sees user,
 * assistant(tool calls), tool(results), assistant(text).
 *
 * A user message's files come before its text, as the provider's parts (attachment-parts.ts);
 * `attachments` holds the contents the turn loaded, and a file without one is only named.
 *
 * Two repairs keep every provider accepting the history. A tool call with no result (a
 * cancelled turn) gets an error result, so no call dangles. A turn that ended before any
 * answer or tool call (it failed or was cancelled at once) would leave two user messages in
 * a row: a short assistant note of how it ended goes between them. Some providers insist
 * that roles alternate, and merging the two messages instead would carry a message the
 * provider rejected into every later request.
 */
export function historyToPrompt(system: string, history: readonly HistoryItem[], attachments: ReadonlyMap<string, AttachmentContent> = new Map()): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [{ role: 'system', content: system }];
  let calls: ToolCallItem[] = [];
  let results = new Map<string, ToolResultItem>();
  let unanswered: TurnStatus = 'complete';

  const flushTools = () => {
    if (calls.length === 0) return;
    prompt.push({
      role: 'assistant',
      content: calls.map((call) => ({ type: 'tool-call', toolCallId: call.call_id, toolName: call.name, input: call.arguments ?? {} })),
    });
    prompt.push({
      role: 'tool',
      content: calls.map((call) => ({ type: 'tool-result', toolCallId: call.call_id, toolName: call.name, output: toolOutput(results.get(call.call_id)) })),
    });
    calls = [];
    results = new Map();
  };

  for (const item of history) {
    switch (item.type) {
      case 'user_message':
        flushTools();
        if (prompt.at(-1)?.role === 'user') prompt.push({ role: 'assistant', content: [{ type: 'text', text: noAnswerNotes[unanswered] }] });
        prompt.push({
          role: 'user',
          content: [
            // Files first, then what the user asks about them.
            ...(item.attachments ?? []).map((attachment) => attachmentParts(attachment, attachments.get(attachment.file_id))),
            ...(item.content.length > 0 || !item.attachments?.length ? [{ type: 'text' as const, text: item.content }] : []),
          ],
        });
        unanswered = 'complete';
        break;
      case 'tool_call':
        calls.push(item);
        break;
      case 'tool_result':
        results.set(item.call_id, item);
        break;
      case 'assistant_message':
        flushTools();
        if (item.content.length > 0) prompt.push({ role: 'assistant', content: [{ type: 'text', text: item.content }] });
        else unanswered = item.status;
        break;
    }
  }
  flushTools();
  return prompt;
}

function toolOutput(result: ToolResultItem | undefined): LanguageModelV3ToolResultOutput {
  if (result === undefined) return { type: 'error-text', value: cancelledCall };
  if (result.error !== undefined) return { type: 'error-text', value: result.error };
  return { type: 'json', value: toJsonValue(result.result) };
}
