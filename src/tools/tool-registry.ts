import { ParleyError } from '../errors/index.js';
import type { WarningLogger } from '../logging/logger.js';
import type { Tool } from './tool.js';

const defaultTimeoutMs = 5_000;

export interface ToolRegistryOptions {
  /** Hears about tools that crash or overrun: the model only gets the error text. */
  logger: WarningLogger;
  defaultTimeoutMs?: number;
}

/** The tools a model may call, by name. Plugins add theirs with `register`. */
export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();

  constructor(private readonly options: ToolRegistryOptions) {}

  register(tool: Tool): this {
    if (this.#tools.has(tool.name)) throw new Error(`tool "${tool.name}" is already registered`);
    this.#tools.set(tool.name, tool);
    return this;
  }

  get(name: string): Tool | undefined {
    return this.#tools.get(name);
  }

  list(): Tool[] {
    return [...this.#tools.values()];
  }

  /**
   * Validates the arguments and runs the tool under its time limit and the caller's signal.
   * Every failure is a `tool_error` ParleyError whose message the model can read; a tool that
   * throws anything else, or runs out of time, is also logged for the operator.
   */
  async run(name: string, input: unknown, signal: AbortSignal): Promise<unknown> {
    const tool = this.#tools.get(name);
    if (!tool) throw new ParleyError('tool_error', `unknown tool "${name}"`);
    if (signal.aborted) throw new ParleyError('tool_error', `${name} was cancelled`);
    const parsed = tool.parameters.safeParse(input);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; ');
      throw new ParleyError('tool_error', `invalid arguments for ${name}: ${detail}`);
    }
    const timeoutMs = tool.timeoutMs ?? this.options.defaultTimeoutMs ?? defaultTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    try {
      return await raceAbort(tool.execute(parsed.data, { signal: combined }), combined);
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
