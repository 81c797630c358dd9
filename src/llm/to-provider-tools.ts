import type { LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import { z } from 'zod';
import type { Tool } from '../tools/tool.js';
import type { ToolRegistry } from '../tools/tool-registry.js';

const inputSchemas = new WeakMap<Tool, LanguageModelV3FunctionTool['inputSchema']>();

/** The registry's tools as the provider spec declares them; each JSON schema is built once. */
export function toProviderTools(registry: ToolRegistry): LanguageModelV3FunctionTool[] {
  return registry.list().map((tool) => {
    let inputSchema = inputSchemas.get(tool);
    if (!inputSchema) {
      // `io: 'input'`: what the model may send, so fields with defaults are optional.
      inputSchema = z.toJSONSchema(tool.parameters, { io: 'input', target: 'draft-7' }) as LanguageModelV3FunctionTool['inputSchema'];
      inputSchemas.set(tool, inputSchema);
    }
    return { type: 'function', name: tool.name, description: tool.description, inputSchema };
  });
}
