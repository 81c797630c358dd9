import { jsonSchema, tool, type ToolSet } from 'ai';
import type { ToolRegistry } from '../../../src/tools/tool-registry.js';

/**
 * For tests that drive the offline model through the real `streamText`, proving it is a
 * well-behaved AI SDK provider. The registry as AI SDK tools. `execute` runs through the registry (validation, timeout,
 * cancel); a thrown error becomes the SDK's `tool-error` part, which goes back to the model
 * as the tool's result rather than ending the turn.
 */
export function toAiSdkTools(registry: ToolRegistry): ToolSet {
  const tools: ToolSet = {};
  for (const definition of registry.list()) {
    tools[definition.name] = tool({
      description: definition.description,
      inputSchema: 'inputSchema' in definition ? jsonSchema(definition.inputSchema) : definition.parameters,
      execute: (input: unknown, { abortSignal }) =>
        registry.run(definition.name, input, abortSignal ?? new AbortController().signal),
    });
  }
  return tools;
}
