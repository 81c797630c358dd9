import type { LanguageModelV3Prompt, LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';
import { isRecord } from '../is-record.js';

/** One tool result of the step being answered, with the arguments the model called it with. */
export interface ToolOutcome {
  toolName: string;
  input: Record<string, unknown>;
  output?: unknown;
  error?: string;
}

/** What the offline model reads from a prompt: plain text, no provider types past this point. */
export interface Conversation {
  system: string;
  /** Every user message in order; the last one is the message being answered. */
  userMessages: string[];
  lastUserText: string;
  lastRole: 'system' | 'user' | 'assistant' | 'tool' | undefined;
  /** Results in the trailing tool message, when the prompt ends with one. */
  toolOutcomes: ToolOutcome[];
  messageCount: number;
  /** Characters of everything the model was given, for the usage estimate. */
  characterCount: number;
}

export function readPrompt(prompt: LanguageModelV3Prompt): Conversation {
  const systemParts: string[] = [];
  const userMessages: string[] = [];
  const callInputs = new Map<string, Record<string, unknown>>();
  let toolOutcomes: ToolOutcome[] = [];
  let characterCount = 0;

  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        systemParts.push(message.content);
        characterCount += message.content.length;
        break;
      case 'user': {
        const text = message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
        userMessages.push(text);
        characterCount += text.length;
        break;
      }
      case 'assistant':
        for (const part of message.content) {
          if (part.type === 'text' || part.type === 'reasoning') characterCount += part.text.length;
          if (part.type === 'tool-call') {
            callInputs.set(part.toolCallId, inputRecord(part.input));
            characterCount += jsonLength(part.input);
          }
        }
        break;
      case 'tool':
        toolOutcomes = [];
        for (const part of message.content) {
          if (part.type !== 'tool-result') continue;
          characterCount += jsonLength(part.output);
          toolOutcomes.push({
            toolName: part.toolName,
            input: callInputs.get(part.toolCallId) ?? {},
            ...readOutput(part.output),
          });
        }
        break;
    }
  }

  const lastRole = prompt.at(-1)?.role;
  return {
    system: systemParts.join('\n'),
    userMessages,
    lastUserText: userMessages.at(-1) ?? '',
    lastRole,
    toolOutcomes: lastRole === 'tool' ? toolOutcomes : [],
    messageCount: prompt.length,
    characterCount,
  };
}

function readOutput(output: LanguageModelV3ToolResultOutput): { output?: unknown; error?: string } {
  switch (output.type) {
    case 'text':
    case 'json':
      return { output: output.value };
    case 'error-text':
      return { error: output.value };
    case 'error-json':
      return { error: JSON.stringify(output.value) };
    case 'execution-denied':
      return { error: output.reason ?? 'the call was not allowed to run' };
    case 'content':
      return { output: output.value.map((part) => (part.type === 'text' ? part.text : '')).join('') };
    default:
      return { output: null };
  }
}

/** A call's arguments: an object in a prompt, though some callers pass the JSON text. */
function inputRecord(input: unknown): Record<string, unknown> {
  if (typeof input === 'string') {
    try {
      return inputRecord(JSON.parse(input));
    } catch {
      return {};
    }
  }
  return isRecord(input) ? input : {};
}

function jsonLength(value: unknown): number {
  return JSON.stringify(value ?? null).length;
}
