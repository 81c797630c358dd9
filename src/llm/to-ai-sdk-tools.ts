import { tool, type ToolSet } from 'ai';
import type { ToolRegistry } from '../tools/tool-registry.js';

/**
 * The registry as AI SDK tools. `execute` runs through the registry (validation, timeout,
 * cancel); a thrown error becomes the SDK's `tool-error` part, which goes back to the model
 * as the tool's result rather than ending the turn.
 */
export function toAiSdkTools(registry: ToolRegistry): ToolSet {
  const tools: ToolSet = {};
  for (const definition of registry.list()) {
    tools[definition.name] = tool({
      description: definition.description,
      inputSchema: definition.parameters,
      execute: (input: unknown, { abortSignal }) =>
        registry.run(definition.name, input, abortSignal ?? new AbortController().signal),
    });
  }
  return tools;
}
