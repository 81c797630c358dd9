import type { LanguageModelV3CallOptions, LanguageModelV3Prompt, LanguageModelV3ToolResultOutput, SharedV3Warning } from '@ai-sdk/provider';
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { toOpenAiUserContent, type PdfInput } from './to-openai-user-content.js';

/** The request body both calls share; `stream` and its options are added by the caller. */
export type OpenAiRequestBody = Omit<ChatCompletionCreateParamsBase, 'stream' | 'stream_options'>;

/**
 * The AI SDK's call options as an OpenAI chat completions request: what
 * `@ai-sdk/openai-compatible` sends for the same call, for the parts Parley and the AI SDK's
 * own calls use. Options the wire format has no field for come back as warnings.
 */
export function toOpenAiRequest(modelId: string, options: LanguageModelV3CallOptions, pdfInput: PdfInput = 'text'): { body: OpenAiRequestBody; warnings: SharedV3Warning[] } {
  const warnings: SharedV3Warning[] = [];
  if (options.topK !== undefined) warnings.push({ type: 'unsupported', feature: 'topK' });
  const tools = (options.tools ?? []).flatMap((tool): ChatCompletionTool[] => {
    if (tool.type === 'function') {
      return [{ type: 'function', function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.inputSchema as Record<string, unknown> } }];
    }
    warnings.push({ type: 'unsupported', feature: `provider tool ${tool.name}` });
    return [];
  });
  const body: OpenAiRequestBody = {
    model: modelId,
    messages: toOpenAiMessages(options.prompt, pdfInput),
    ...(options.maxOutputTokens === undefined ? {} : { max_tokens: options.maxOutputTokens }),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    ...(options.topP === undefined ? {} : { top_p: options.topP }),
    ...(options.presencePenalty === undefined ? {} : { presence_penalty: options.presencePenalty }),
    ...(options.frequencyPenalty === undefined ? {} : { frequency_penalty: options.frequencyPenalty }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.stopSequences?.length ? { stop: options.stopSequences } : {}),
    ...(options.responseFormat?.type === 'json'
      ? {
          response_format: options.responseFormat.schema
            ? { type: 'json_schema', json_schema: { name: options.responseFormat.name ?? 'response', schema: options.responseFormat.schema as Record<string, unknown> } }
            : { type: 'json_object' },
        }
      : {}),
    ...(tools.length > 0 ? { tools, ...(options.toolChoice ? { tool_choice: toToolChoice(options.toolChoice) } : {}) } : {}),
  };
  return { body, warnings };
}

function toToolChoice(choice: NonNullable<LanguageModelV3CallOptions['toolChoice']>): ChatCompletionToolChoiceOption {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.toolName } } : choice.type;
}

/** The prompt as chat messages: a lone text part is sent as a plain string, as OpenAI's own examples do. */
function toOpenAiMessages(prompt: LanguageModelV3Prompt, pdfInput: PdfInput): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content });
        break;
      case 'user': {
        const [only] = message.content;
        if (message.content.length === 1 && only?.type === 'text') messages.push({ role: 'user', content: only.text });
        else messages.push({ role: 'user', content: toOpenAiUserContent(message.content, pdfInput) });
        break;
      }
      case 'assistant': {
        let text = '';
        const toolCalls: ChatCompletionMessageToolCall[] = [];
        for (const part of message.content) {
          if (part.type === 'text') text += part.text;
          else if (part.type === 'tool-call') {
            toolCalls.push({
              id: part.toolCallId,
              type: 'function',
              function: { name: part.toolName, arguments: typeof part.input === 'string' ? part.input : JSON.stringify(part.input) },
            });
          }
        }
        const assistant: ChatCompletionAssistantMessageParam =
          toolCalls.length > 0 ? { role: 'assistant', content: text || null, tool_calls: toolCalls } : { role: 'assistant', content: text };
        messages.push(assistant);
        break;
      }
      case 'tool':
        for (const part of message.content) {
          if (part.type !== 'tool-result') continue;
          messages.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolResultText(part.output) });
        }
        break;
    }
  }
  return messages;
}

function toolResultText(output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'execution-denied':
      return output.reason ?? 'Tool call execution denied.';
    default:
      return JSON.stringify(output.value);
  }
}
