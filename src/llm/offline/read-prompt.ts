import type { LanguageModelV3Prompt, LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';
import { attachmentNote } from '../attachment-parts.js';
import { isRecord } from '../is-record.js';

/** One tool result of the step being answered, with the arguments the model called it with. */
export interface ToolOutcome {
  toolName: string;
  input: Record<string, unknown>;
  output?: unknown;
  error?: string;
}

/** A file the user attached: a text file's text, or only its name and type. */
export interface AttachedFile {
  name: string;
  mediaType: string;
  /** A text file's text (the offline model reads nothing else). */
  text?: string;
}

/** What the offline model reads from a prompt: plain text, no provider types past this point. */
export interface Conversation {
  system: string;
  /** Every user message in order; the last one is the message being answered. */
  userMessages: string[];
  lastUserText: string;
  /** The files the last user message carries. */
  lastAttachments: AttachedFile[];
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
  let lastAttachments: AttachedFile[] = [];
  let toolOutcomes: ToolOutcome[] = [];
  let characterCount = 0;

  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        systemParts.push(message.content);
        characterCount += message.content.length;
        break;
      case 'user': {
        lastAttachments = [];
        let text = '';
        for (const part of message.content) {
          const note = attachmentNote(part);
          if (note !== null) {
            lastAttachments.push({ name: note.name, mediaType: note.media_type, ...(note.media_type === 'text/plain' && note.text !== undefined ? { text: note.text } : {}) });
            characterCount += note.text?.length ?? 0;
          } else if (part.type === 'text') text += part.text;
        }
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
    lastAttachments,
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
