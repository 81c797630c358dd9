import type { z } from 'zod';

/** What a tool's `execute` gets besides its arguments. */
export interface ToolContext {
  /** Aborted when the turn is cancelled or the tool's time is up: stop work promptly. */
  signal: AbortSignal;
}

/** A JSON schema as a tool's author wrote it (an MCP server's `inputSchema`, say). */
export type JsonSchema = Readonly<Record<string, unknown>>;

interface ToolBase {
  name: string;
  description: string;
  /** Upper bound for one call; the registry aborts the call and reports `tool_error` past it. */
  timeoutMs?: number;
}

/**
 * One tool = one module exporting one of these. `parameters` is the zod schema the model's
 * arguments are checked against (and that the model sees as JSON schema).
 */
export interface Tool<Parameters = unknown, Result = unknown> extends ToolBase {
  parameters: z.ZodType<Parameters>;
  /** A throw and a rejection are the same to the registry: the model gets a `tool_error`. */
  execute(parameters: Parameters, context: ToolContext): Promise<Result>;
}

/**
 * A tool described by a JSON schema that the model sees as it is (MCP tools): whoever
 * executes it checks the arguments, and the registry only makes sure they are an object.
 */
export interface JsonSchemaTool<Result = unknown> extends ToolBase {
  inputSchema: JsonSchema;
  execute(parameters: Record<string, unknown>, context: ToolContext): Promise<Result>;
}

/** What the registry holds and offers: a tool in either form. */
export type ToolDefinition = Tool | JsonSchemaTool;

/** Tools that come and go while Parley runs (an MCP server's list): the registry asks at each turn. */
export interface ToolSource {
  list(): readonly ToolDefinition[];
  get(name: string): ToolDefinition | undefined;
}
