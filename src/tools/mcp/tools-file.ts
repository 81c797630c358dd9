import { z } from 'zod';

/** Server names become the tools' prefix (`<server>__<tool>`), so `__` cannot be part of one. */
const serverName = /^(?!.*__)[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
export const maxServers = 32;

const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const stringMap = z.record(text(256), text(8192)).refine((map) => Object.keys(map).length <= 256, 'at most 256 entries');

/** An entry as Claude Desktop, Cursor and VS Code write it; keys other clients add are ignored. */
const stdioEntry = z.object({
  type: z.literal('stdio').optional(),
  command: text(4096).min(1, 'must not be empty'),
  args: z.array(text(8192)).max(256, 'at most 256 arguments').default([]),
  env: stringMap.default({}),
  cwd: text(4096).min(1).optional(),
});

const httpEntry = z.object({
  type: z.enum(['http', 'streamable-http', 'streamableHttp']).optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  headers: stringMap.default({}),
});

export type StdioServerConfig = { name: string; transport: 'stdio' } & z.infer<typeof stdioEntry>;
export type HttpServerConfig = { name: string; transport: 'http'; url: string; headers: Record<string, string> };
export type McpServerConfig = StdioServerConfig | HttpServerConfig;
export type McpTransportName = McpServerConfig['transport'];

/** An entry Parley could not use: it is reported (log and /health) and skipped. */
export interface RefusedServer {
  name: string;
  transport: McpTransportName | 'unknown';
  problem: string;
}

export interface ToolsFile {
  servers: McpServerConfig[];
  refused: RefusedServer[];
}

const fileShape = z.object({ mcpServers: z.record(z.string(), z.unknown()) });

/**
 * Reads the tools file's text. Each entry is checked on its own, so one bad entry costs only
 * that server. `${NAME}` in a value is replaced by that environment variable, so a secret can
 * stay out of the file. Throws (one line, no values) when the file as a whole is unusable.
 */
export function parseToolsFile(source: string, environment: Record<string, string | undefined>): ToolsFile {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    // No `cause`: its message quotes the file (see jsonErrorPlace), and causes get logged.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`is not valid JSON${jsonErrorPlace(source, error)}`);
  }
  const file = fileShape.safeParse(json);
  if (!file.success) throw new Error('is not in the shape {"mcpServers": {"<name>": {...}}}');
  const entries = Object.entries(file.data.mcpServers);
  if (entries.length > maxServers) throw new Error(`lists ${entries.length} servers; at most ${maxServers}`);
  const result: ToolsFile = { servers: [], refused: [] };
  for (const [name, entry] of entries) {
    const parsed = parseEntry(name, entry, environment);
    if ('problem' in parsed) result.refused.push(parsed);
    else result.servers.push(parsed);
  }
  return result;
}

/**
 * Where JSON.parse stopped, as a line and column. Its message is not repeated: V8 quotes the
 * text around the error, which may be a secret in an `env` or `headers` value.
 */
function jsonErrorPlace(source: string, error: unknown): string {
  const position = /at position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (position === undefined) return /end of JSON input/.test(String(error)) ? ' (it ends too early)' : '';
  const before = source.slice(0, Number(position)).split('\n');
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

function parseEntry(name: string, entry: unknown, environment: Record<string, string | undefined>): McpServerConfig | RefusedServer {
  const record = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? (entry as Record<string, unknown>) : {};
  const transport = 'url' in record ? 'http' : 'command' in record ? 'stdio' : 'unknown';
  const refuse = (problem: string): RefusedServer => ({ name, transport, problem });
  if (!serverName.test(name)) return refuse('the name must be 1 to 32 letters, digits, "-" or "_", start with a letter or digit, and not contain "__"');
  if (record.type === 'sse') return refuse('the SSE transport is not supported; use the server\'s Streamable HTTP URL');
  if (transport === 'unknown') return refuse('needs "command" (a stdio server) or "url" (a Streamable HTTP server)');
  let expanded: unknown;
  try {
    expanded = expandVariables(record, environment);
  } catch (error) {
    return refuse((error as Error).message);
  }
  const parsed = transport === 'http' ? httpEntry.safeParse(expanded) : stdioEntry.safeParse(expanded);
  if (!parsed.success) {
    // Names where and what, never the value: env values and headers are secrets.
    return refuse(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`).join('; '));
  }
  return transport === 'http'
    ? { name, transport, ...(parsed.data as z.infer<typeof httpEntry>) }
    : { name, transport, ...(parsed.data as z.infer<typeof stdioEntry>) };
}

/** `${NAME}` in every string of the entry, from the environment; an unset one refuses the entry. */
function expandVariables(value: unknown, environment: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, variable: string) => {
      const found = environment[variable];
      if (found === undefined) throw new Error(`uses \${${variable}}, which is not set`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item) => expandVariables(item, environment));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandVariables(item, environment)]));
  }
  return value;
}

/** The values that must never reach a log line or /health: env values, headers, credentials in the URL. */
export function secretsOf(config: McpServerConfig): string[] {
  if (config.transport === 'stdio') return Object.values(config.env);
  const url = new URL(config.url);
  return [...Object.values(config.headers), url.username, url.password, ...url.searchParams.values()];
}
