import type { LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import { z } from 'zod';
import type { ToolDefinition } from '../tools/tool.js';
import type { ToolRegistry } from '../tools/tool-registry.js';

const inputSchemas = new WeakMap<ToolDefinition, LanguageModelV3FunctionTool['inputSchema']>();

/**
 * The registry's tools as the provider spec declares them; each zod schema's JSON schema is
 * built once, and a JSON-schema tool's (MCP) goes to the model as its author wrote it.
 */
export function toProviderTools(registry: ToolRegistry): LanguageModelV3FunctionTool[] {
  return registry.list().map((tool) => {
    if ('inputSchema' in tool) {
      return { type: 'function', name: tool.name, description: tool.description, inputSchema: tool.inputSchema };
    }
    let inputSchema = inputSchemas.get(tool);
    if (!inputSchema) {
      // `io: 'input'`: what the model may send, so fields with defaults are optional.
      inputSchema = z.toJSONSchema(tool.parameters, { io: 'input', target: 'draft-7' }) as LanguageModelV3FunctionTool['inputSchema'];
      inputSchemas.set(tool, inputSchema);
    }
    return { type: 'function', name: tool.name, description: tool.description, inputSchema };
  });
}
