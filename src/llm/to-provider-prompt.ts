import type { LanguageModelV3Prompt, LanguageModelV3TextPart, LanguageModelV3ToolCallPart } from '@ai-sdk/provider';
import type { ModelMessage } from 'ai';

/**
 * The conversation in the provider spec's own prompt format (what `streamText` would build):
 * the turn runner talks to each model step directly. Only the shapes
 * `toModelMessages` produces occur: text, tool calls and tool results.
 */
export function toProviderPrompt(system: string, messages: readonly ModelMessage[]): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [{ role: 'system', content: system }];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        prompt.push({ role: 'system', content: message.content });
        break;
      case 'user':
        prompt.push({ role: 'user', content: typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content.flatMap((part) => (part.type === 'text' ? [{ type: 'text' as const, text: part.text }] : [])) });
        break;
      case 'assistant':
        prompt.push({
          role: 'assistant',
          content:
            typeof message.content === 'string'
              ? [{ type: 'text', text: message.content }]
              : message.content.flatMap((part): Array<LanguageModelV3TextPart | LanguageModelV3ToolCallPart> => {
                  if (part.type === 'text') return [{ type: 'text', text: part.text }];
                  if (part.type === 'tool-call') return [{ type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input }];
                  return [];
                }),
        });
        break;
      case 'tool':
        prompt.push({
          role: 'tool',
          content: message.content.flatMap((part) =>
            part.type === 'tool-result' ? [{ type: 'tool-result' as const, toolCallId: part.toolCallId, toolName: part.toolName, output: part.output as never }] : [],
          ),
        });
        break;
    }
  }
  return prompt;
}
