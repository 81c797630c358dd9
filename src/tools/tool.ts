import type { z } from 'zod';

/** What a tool's `execute` gets besides its arguments. */
export interface ToolContext {
  /** Aborted when the turn is cancelled or the tool's time is up: stop work promptly. */
  signal: AbortSignal;
}

/**
 * One tool = one module exporting one of these. `parameters` is the zod schema the model's
 * arguments are checked against (and that the model sees as JSON schema).
 */
export interface Tool<Parameters = unknown, Result = unknown> {
  name: string;
  description: string;
  parameters: z.ZodType<Parameters>;
  /** Upper bound for one call; the registry aborts the call and reports `tool_error` past it. */
  timeoutMs?: number;
  /** A throw and a rejection are the same to the registry: the model gets a `tool_error`. */
  execute(parameters: Parameters, context: ToolContext): Promise<Result>;
}
