import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Logger } from '../../logging/logger.js';
import { waitAtMost } from '../../time/wait-at-most.js';
import type { JsonSchemaTool, ToolSource } from '../tool.js';
import { McpConnection, type McpConnectionOptions } from './mcp-connection.js';
import { toolNameSeparator } from './plan-offered-tools.js';
import { parseToolsFile, type RefusedServer } from './tools-file.js';

/** What /health says about each server: no URL, command or value, only words. */
export const mcpHealthSchema = z.object({
  /** Why TOOLS_FILE as a whole could not be used (Parley runs without its servers). */
  file_error: z.string().optional(),
  servers: z.array(
    z.object({
      name: z.string(),
      transport: z.enum(['stdio', 'http', 'unknown']),
      state: z.enum(['connecting', 'ready', 'reconnecting', 'failed']),
      tools: z.number().int(),
      last_error: z.string().nullable(),
    }),
  ),
});
export type McpHealth = z.infer<typeof mcpHealthSchema>;

const maxFileBytes = 1024 * 1024;
/**
 * How long readiness waits for the servers' first connection. A server already installed
 * answers `initialize` in well under a second (the test fixture, started through tsx, in about
 * 0.5 s); one started with `npx` may download for a minute, and a load balancer should not wait
 * that long for /health. Past this, the server goes on connecting and its tools are offered
 * from the first turn after it is ready.
 */
export const startWaitMs = 3_000;

/** Every MCP server of the tools file, as one source of tools for the registry. */
export class McpToolSource implements ToolSource {
  readonly #connections: Map<string, McpConnection>;

  private constructor(
    connections: McpConnection[],
    readonly refused: readonly RefusedServer[],
    readonly fileError: string | undefined,
  ) {
    this.#connections = new Map(connections.map((connection) => [connection.name, connection]));
  }

  /**
   * Reads the file. Nothing in it stops Parley: a file that cannot be read or parsed, and each
   * entry that is wrong, get one error line naming the entry and the problem, and /health says so.
   */
  static async load(path: string, environment: Record<string, string | undefined>, options: McpConnectionOptions): Promise<McpToolSource> {
    let source: string;
    try {
      const buffer = await readFile(path);
      if (buffer.length > maxFileBytes) throw new Error(`over ${maxFileBytes} bytes`);
      source = buffer.toString('utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      return McpToolSource.#unusable(path, `cannot be read (${reason})`, options.logger);
    }
    let file;
    try {
      file = parseToolsFile(source, environment);
    } catch (error) {
      return McpToolSource.#unusable(path, (error as Error).message, options.logger);
    }
    for (const entry of file.refused) {
      options.logger.error({ file: path, server: entry.name, problem: entry.problem }, 'MCP server entry refused; Parley runs without it');
    }
    return new McpToolSource(file.servers.map((config) => new McpConnection(config, options)), file.refused, undefined);
  }

  static #unusable(path: string, problem: string, logger: Logger): McpToolSource {
    logger.error({ file: path, problem }, 'TOOLS_FILE is unusable; Parley runs without MCP servers');
    return new McpToolSource([], [], `TOOLS_FILE ${problem}`);
  }

  /** Starts every server; resolves when each has had its first attempt, or after `waitMs`. */
  async start(waitMs = startWaitMs): Promise<void> {
    await waitAtMost(Promise.all([...this.#connections.values()].map((connection) => connection.start())), waitMs);
  }

  list(): JsonSchemaTool[] {
    return [...this.#connections.values()].flatMap((connection) => connection.tools());
  }

  get(name: string): JsonSchemaTool | undefined {
    const server = name.split(toolNameSeparator, 1)[0]!;
    return this.#connections.get(server)?.getTool(name);
  }

  health(): McpHealth {
    return {
      ...(this.fileError === undefined ? {} : { file_error: this.fileError }),
      servers: [
        ...[...this.#connections.values()].map((connection) => ({
          name: connection.name,
          transport: connection.config.transport,
          state: connection.state,
          tools: connection.tools().length,
          last_error: connection.lastError,
        })),
        ...this.refused.map((entry) => ({ name: entry.name, transport: entry.transport, state: 'failed' as const, tools: 0, last_error: entry.problem })),
      ],
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#connections.values()].map((connection) => connection.close()));
  }
}
