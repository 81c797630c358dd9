import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema, type CallToolResult, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { ParleyError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import type { JsonSchemaTool } from '../tool.js';
import { callResultToModel } from './call-result-to-model.js';
import { describeMcpError, isPermanentStartFailure, isServerAnswer } from './describe-mcp-error.js';
import { limitResponseBodies } from './limit-response-body.js';
import { planOfferedTools } from './plan-offered-tools.js';
import { defaultBackoff, nextAttempt, reconnectDelay, type BackoffPolicy } from './reconnect-delay.js';
import { createRedactor } from './redact-secrets.js';
import { StderrTail } from './stderr-tail.js';
import { secretsOf, type McpServerConfig } from './tools-file.js';

export type McpServerState = 'connecting' | 'ready' | 'reconnecting' | 'failed';

export interface McpConnectionOptions {
  logger: Logger;
  clientVersion: string;
  /** The SDK's own limit for one call: above the registry's TOOL_TIMEOUT_MS, which aborts first. */
  callTimeoutMs: number;
  backoff?: BackoffPolicy;
  /** How often a ready server is pinged; one that does not answer within `pingTimeoutMs` is restarted. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** Starting a server and its `initialize` (an `npx` download included). */
  connectTimeoutMs?: number;
  /** The largest message a server may send, over either transport. */
  maxMessageBytes?: number;
}

const maxListPages = 20;

/**
 * One MCP server from the tools file: started (stdio) or connected (Streamable HTTP), its tools
 * listed and kept current, restarted with capped exponential backoff when it dies, stops
 * answering pings, or (HTTP) stops answering calls. Only a ready server's tools are offered.
 */
export class McpConnection {
  state: McpServerState = 'connecting';
  /** Why the last attempt or connection failed, redacted; null once it works. */
  lastError: string | null = null;
  #tools = new Map<string, JsonSchemaTool>();
  #client: Client | null = null;
  #attempt = -1;
  #readyAt: number | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #pingTimer: NodeJS.Timeout | null = null;
  #listRefresh = 0;
  #closed = false;
  #lastTransportErrorLogAt = 0;
  readonly #stderr = new StderrTail();
  readonly #redact: (text: string) => string;
  readonly #settled: Promise<void>;
  #settle!: () => void;

  constructor(
    readonly config: McpServerConfig,
    private readonly options: McpConnectionOptions,
  ) {
    this.#redact = createRedactor(secretsOf(config));
    this.#settled = new Promise((resolve) => (this.#settle = resolve));
  }

  get name(): string {
    return this.config.name;
  }

  /** Resolves once the first attempt has succeeded or failed; later attempts go on in the background. */
  start(): Promise<void> {
    void this.#connect();
    return this.#settled;
  }

  tools(): JsonSchemaTool[] {
    return [...this.#tools.values()];
  }

  getTool(name: string): JsonSchemaTool | undefined {
    return this.#tools.get(name);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#clearTimers();
    const client = this.#client;
    this.#client = null;
    this.#tools.clear();
    await client?.close().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new Client({ name: 'parley', version: this.options.clientVersion }, { capabilities: {} });
    // Only the connection in use may report its end; a failed attempt's close is the attempt's failure.
    client.onclose = () => this.#lose(client, 'the server closed the connection');
    // While connecting, the attempt's own failure says it all.
    client.onerror = (error) => {
      if (this.#client === client) this.#noteTransportError(error);
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void this.#refreshTools(client));
    try {
      await client.connect(this.#openTransport(), { timeout: this.options.connectTimeoutMs ?? 30_000 });
      const tools = await listAllTools(client, this.options.connectTimeoutMs ?? 30_000);
      if (this.#closed) {
        await client.close();
        return;
      }
      this.#client = client;
      this.#setTools(client, tools);
      this.state = 'ready';
      this.lastError = null;
      this.#readyAt = Date.now();
      this.#pingTimer = setInterval(() => void this.#ping(client), this.options.pingIntervalMs ?? 15_000).unref();
      this.options.logger.info({ server: this.name, transport: this.config.transport, tools: this.#tools.size }, 'MCP server ready');
    } catch (error) {
      await client.close().catch(() => undefined);
      this.#attemptFailed(error);
    }
    this.#settle();
  }

  #openTransport(): Transport {
    const maxMessageBytes = this.options.maxMessageBytes ?? 16 * 1024 * 1024;
    if (this.config.transport === 'http') {
      return new StreamableHTTPClientTransport(new URL(this.config.url), {
        requestInit: { headers: this.config.headers },
        fetch: limitResponseBodies(maxMessageBytes),
      });
    }
    // The child gets the SDK's short list of safe variables (PATH, HOME...) and its entry's
    // env, never Parley's own environment with its keys.
    const transport = new StdioClientTransport({
      command: this.config.command,
      args: this.config.args,
      env: this.config.env,
      stderr: 'pipe',
      maxBufferSize: maxMessageBytes,
      ...(this.config.cwd === undefined ? {} : { cwd: this.config.cwd }),
    });
    this.#stderr.clear();
    transport.stderr?.on('data', (chunk: Buffer) => this.#stderr.append(chunk));
    return transport;
  }

  #attemptFailed(error: unknown): void {
    if (this.#closed) return;
    const command = this.config.transport === 'stdio' ? this.config.command : undefined;
    const reason = this.#redact(describeMcpError(error, command));
    const fields = { server: this.name, transport: this.config.transport, reason, ...this.#stderrField() };
    if (isPermanentStartFailure(error)) {
      this.state = 'failed';
      this.lastError = reason;
      this.options.logger.error(fields, 'MCP server could not be started; Parley runs without it');
      return;
    }
    // The same failure every 30 s is one log line, not one per attempt.
    if (reason !== this.lastError) this.options.logger.warn(fields, 'MCP server did not connect; retrying with backoff');
    this.lastError = reason;
    this.#scheduleRetry(null);
  }

  /** A ready connection went away: forget its tools and start again after the backoff. */
  #lose(client: Client, reason: string): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = null;
    this.#tools.clear();
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.lastError = this.#redact(reason);
    this.options.logger.warn({ server: this.name, transport: this.config.transport, reason: this.lastError, ...this.#stderrField() }, 'MCP server connection lost; reconnecting');
    // Ends a hung child (the SDK's close escalates to SIGKILL) and an HTTP session.
    client.close().catch(() => undefined);
    this.#scheduleRetry(this.#readyAt === null ? null : Date.now() - this.#readyAt);
  }

  #scheduleRetry(upForMs: number | null): void {
    const backoff = this.options.backoff ?? defaultBackoff;
    this.#attempt = nextAttempt(this.#attempt, upForMs, backoff);
    this.state = 'reconnecting';
    this.#readyAt = null;
    this.#retryTimer = setTimeout(() => void this.#connect(), reconnectDelay(this.#attempt, backoff)).unref();
  }

  async #ping(client: Client): Promise<void> {
    const timeoutMs = this.options.pingTimeoutMs ?? 5_000;
    try {
      await client.ping({ timeout: timeoutMs });
    } catch (error) {
      // Some servers answer ping with an error: an answer all the same.
      if (!isServerAnswer(error)) this.#lose(client, `the server did not answer a ping within ${timeoutMs} ms`);
    }
  }

  async #refreshTools(client: Client): Promise<void> {
    const refresh = ++this.#listRefresh;
    try {
      const tools = await listAllTools(client, this.options.connectTimeoutMs ?? 30_000);
      // A newer refresh, or a new connection, knows better.
      if (refresh !== this.#listRefresh || this.#client !== client) return;
      this.#setTools(client, tools);
      this.options.logger.info({ server: this.name, tools: this.#tools.size }, 'MCP server changed its tools');
    } catch (error) {
      this.options.logger.warn({ server: this.name, reason: this.#redact(describeMcpError(error)) }, 'MCP server tool list could not be refreshed; keeping the old one');
    }
  }

  #setTools(client: Client, tools: readonly McpTool[]): void {
    const { offered, skipped } = planOfferedTools(this.name, tools);
    if (skipped.length > 0) this.options.logger.warn({ server: this.name, skipped }, 'MCP tools left out');
    this.#tools = new Map(
      offered.map((tool): [string, JsonSchemaTool] => [
        tool.name,
        {
          name: tool.name,
          description: tool.description,
          inputSchema: tool.inputSchema,
          execute: (parameters, { signal }) => this.#call(client, tool.name, tool.serverToolName, parameters, signal),
        },
      ]),
    );
  }

  async #call(client: Client, name: string, serverToolName: string, parameters: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    if (this.#client !== client) throw new ParleyError('tool_error', `${name} is unavailable: its MCP server is ${this.state}`);
    let result: CallToolResult;
    try {
      // The signal carries the turn's cancel and the tool's timeout: aborting it sends
      // notifications/cancelled to the server.
      result = (await client.callTool({ name: serverToolName, arguments: parameters }, undefined, { signal, timeout: this.options.callTimeoutMs })) as CallToolResult;
    } catch (error) {
      if (signal.aborted) throw error;
      const reason = this.#redact(describeMcpError(error));
      if (this.config.transport === 'http' && !isServerAnswer(error)) this.#lose(client, reason);
      throw new ParleyError('tool_error', `${name} failed: ${reason}`);
    }
    return callResultToModel(name, result);
  }

  #noteTransportError(error: Error): void {
    // A server that floods stdout with lines that are not JSON-RPC raises one of these per line;
    // an HTTP server, one per failed request.
    const now = Date.now();
    if (now - this.#lastTransportErrorLogAt < 60_000) return;
    this.#lastTransportErrorLogAt = now;
    this.options.logger.warn({ server: this.name, reason: this.#redact(describeMcpError(error)) }, 'MCP server transport error (logged at most once a minute)');
  }

  #stderrField(): { stderr?: string } {
    const line = this.#stderr.lastLine();
    return line === '' ? {} : { stderr: this.#redact(line) };
  }

  #clearTimers(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#pingTimer) clearInterval(this.#pingTimer);
  }
}

/** Every page of `tools/list`, up to a bound a looping cursor cannot pass. */
async function listAllTools(client: Client, timeoutMs: number): Promise<McpTool[]> {
  if (!client.getServerCapabilities()?.tools) return [];
  const tools: McpTool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxListPages; page += 1) {
    const result = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs });
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return tools;
}
