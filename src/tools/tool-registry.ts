import { ParleyError } from '../errors/index.js';
import type { WarningLogger } from '../logging/logger.js';
import type { Tool, ToolContext, ToolDefinition, ToolSource } from './tool.js';

const defaultTimeoutMs = 5_000;

export interface ToolRegistryOptions {
  /** Hears about tools that crash or overrun: the model only gets the error text. */
  logger: WarningLogger;
  defaultTimeoutMs?: number;
  /** The operator's allow and deny lists (TOOLS_ALLOW, TOOLS_DENY): a tool it refuses is neither offered nor run. */
  isAllowed?: (name: string) => boolean;
}

/**
 * The tools a model may call, by name. Plugins add theirs with `register`; tools that change
 * while Parley runs (MCP servers) come from a source added with `addSource`.
 */
export class ToolRegistry {
  readonly #tools = new Map<string, ToolDefinition>();
  readonly #sources: ToolSource[] = [];

  constructor(private readonly options: ToolRegistryOptions) {}

  register(tool: Tool): this {
    if (this.#tools.has(tool.name)) throw new Error(`tool "${tool.name}" is already registered`);
    this.#tools.set(tool.name, tool);
    return this;
  }

  addSource(source: ToolSource): this {
    this.#sources.push(source);
    return this;
  }

  get(name: string): ToolDefinition | undefined {
    if (this.options.isAllowed && !this.options.isAllowed(name)) return undefined;
    return this.#tools.get(name) ?? this.#sources.map((source) => source.get(name)).find((tool) => tool !== undefined);
  }

  /** What the model is offered now: a source's tools as it lists them at this moment. */
  list(): ToolDefinition[] {
    const all = [...this.#tools.values(), ...this.#sources.flatMap((source) => source.list())];
    const isAllowed = this.options.isAllowed;
    return isAllowed ? all.filter((tool) => isAllowed(tool.name)) : all;
  }

  /**
   * Validates the arguments and runs the tool under its time limit and the caller's signal.
   * Every failure is a `tool_error` ParleyError whose message the model can read; a tool that
   * throws anything else, or runs out of time, is also logged for the operator.
   */
  async run(name: string, input: unknown, signal: AbortSignal): Promise<unknown> {
    const tool = this.get(name);
    if (!tool) throw new ParleyError('tool_error', `unknown tool "${name}"`);
    if (signal.aborted) throw new ParleyError('tool_error', `${name} was cancelled`);
    const execute = bindArguments(tool, input);
    const timeoutMs = tool.timeoutMs ?? this.options.defaultTimeoutMs ?? defaultTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    try {
      return await raceAbort(execute({ signal: combined }), combined);
    } catch (error) {
      if (timeout.aborted) {
        this.options.logger.warn({ tool: name, timeoutMs }, 'tool ran past its time limit and was stopped');
        throw new ParleyError('tool_error', `${name} took longer than ${timeoutMs} ms and was stopped`);
      }
      if (signal.aborted) throw new ParleyError('tool_error', `${name} was cancelled`);
      if (error instanceof ParleyError) throw error;
      this.options.logger.warn({ tool: name, err: error }, 'tool failed');
      throw new ParleyError('tool_error', `${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

/** The call with its arguments checked: by the zod schema, or (a JSON-schema tool checks its own) as an object. */
function bindArguments(tool: ToolDefinition, input: unknown): (context: ToolContext) => Promise<unknown> {
  if ('inputSchema' in tool) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new ParleyError('tool_error', `invalid arguments for ${tool.name}: arguments must be a JSON object`);
    }
    const parameters = input as Record<string, unknown>;
    return (context) => tool.execute(parameters, context);
  }
  const parsed = tool.parameters.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; ');
    throw new ParleyError('tool_error', `invalid arguments for ${tool.name}: ${detail}`);
  }
  return (context) => tool.execute(parsed.data, context);
}

/** A tool that ignores its signal still cannot hold the turn past its deadline. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // Once the race is lost nobody awaits `work`; its later failure must not go unhandled.
  work.catch(() => undefined);
  let onAbort = () => {};
  // The caller tells a cancel from a timeout by its signals; this error only ends the race.
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('the tool call was aborted', { cause: signal.reason }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
