import type { ModelMessage } from 'ai';
import type { HistoryItem } from '../protocol/index.js';

/**
 * The conversation as the model's messages, rebuilt from the event log. A turn is stored as
 * user message, tool calls and results, then one assistant message with the whole text; the
 * model sees: user, assistant(tool calls), tool(results), assistant(text). A tool call with
 * no result (a cancelled turn) gets a synthetic error result so no provider rejects the
 * history for a dangling call.
 */
export function toModelMessages(history: readonly HistoryItem[]): ModelMessage[] {
  const messages: ModelMessage[] = [];
  let pendingCalls: Array<Extract<HistoryItem, { type: 'tool_call' }>> = [];
  let results = new Map<string, Extract<HistoryItem, { type: 'tool_result' }>>();

  const flushTools = () => {
    if (pendingCalls.length === 0) return;
    messages.push({
      role: 'assistant',
      content: pendingCalls.map((call) => ({
        type: 'tool-call' as const,
        toolCallId: call.call_id,
        toolName: call.name,
        input: call.arguments ?? {},
      })),
    });
    messages.push({
      role: 'tool',
      content: pendingCalls.map((call) => {
        const result = results.get(call.call_id);
        const output =
          result === undefined
            ? { type: 'error-text' as const, value: 'The tool call was cancelled before it returned.' }
            : result.error !== undefined
              ? { type: 'error-text' as const, value: result.error }
              : { type: 'json' as const, value: (result.result ?? null) as never };
        return { type: 'tool-result' as const, toolCallId: call.call_id, toolName: call.name, output };
      }),
    });
    pendingCalls = [];
    results = new Map();
  };

  for (const item of history) {
    switch (item.type) {
      case 'user_message': {
        flushTools();
        // A turn that failed before answering leaves two user messages in a row; some
        // providers insist on alternating roles, so they become one.
        const previous = messages.at(-1);
        if (previous?.role === 'user' && typeof previous.content === 'string') {
          previous.content = `${previous.content}\n\n${item.content}`;
        } else {
          messages.push({ role: 'user', content: item.content });
        }
        break;
      }
      case 'tool_call':
        pendingCalls.push(item);
        break;
      case 'tool_result':
        results.set(item.call_id, item);
        break;
      case 'assistant_message':
        flushTools();
        if (item.content.length > 0) messages.push({ role: 'assistant', content: item.content });
        break;
    }
  }
  flushTools();
  return messages;
}
