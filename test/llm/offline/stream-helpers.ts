import { stepCountIs, streamText, type TextStreamPart, type ToolSet } from 'ai';
import { createOfflineModel } from '../../../src/llm/offline/offline-model.js';
import { systemPrompt } from '../../../src/llm/model-runner.js';
import { toAiSdkTools } from './to-ai-sdk-tools.js';
import type { ToolRegistry } from '../../../src/tools/tool-registry.js';
import { createTestToolRegistry } from './test-tool-registry.js';

/** The parts of a full stream a person would notice, without ids, timings and request bodies. */
export type SeenPart =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; toolName: string; input: unknown }
  | { type: 'tool-result'; toolName: string; output: unknown }
  | { type: 'tool-error'; toolName: string; error: string }
  | { type: 'finish-step'; finishReason: string }
  | { type: 'finish'; finishReason: string }
  | { type: 'abort' };

export function seen(part: TextStreamPart<ToolSet>): SeenPart[] {
  switch (part.type) {
    case 'text-delta':
      return [{ type: 'text', text: part.text }];
    case 'tool-call':
      return [{ type: 'tool-call', toolName: part.toolName, input: part.input }];
    case 'tool-result':
      return [{ type: 'tool-result', toolName: part.toolName, output: part.output }];
    case 'tool-error':
      return [{ type: 'tool-error', toolName: part.toolName, error: part.error instanceof Error ? part.error.message : String(part.error) }];
    case 'finish-step':
      return [{ type: 'finish-step', finishReason: part.finishReason }];
    case 'finish':
      return [{ type: 'finish', finishReason: part.finishReason }];
    case 'abort':
      return [{ type: 'abort' }];
    default:
      return [];
  }
}

/**
 * Runs the offline model on one message through the AI SDK's own `streamText`, as a plugin
 * would: Parley's system prompt, the registry's tools, several steps.
 */
export async function runOffline(message: string, options: { tools?: ToolRegistry | false } = {}): Promise<SeenPart[]> {
  const result = streamText({
    model: createOfflineModel({ tokenDelayMs: 0 }),
    system: systemPrompt,
    messages: [{ role: 'user', content: message }],
    ...(options.tools === false ? {} : { tools: toAiSdkTools(options.tools ?? createTestToolRegistry()) }),
    stopWhen: stepCountIs(5),
    maxRetries: 0,
  });
  const parts: SeenPart[] = [];
  for await (const part of result.fullStream) parts.push(...seen(part));
  return parts;
}

/** The answer text of a run, pieces joined. */
export function textOf(parts: readonly SeenPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
