import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { McpToolSource } from '../../../src/tools/mcp/mcp-tool-source.js';
import { ToolRegistry } from '../../../src/tools/tool-registry.js';
import { RecordingLogger } from '../../fakes/recording-logger.js';
import { eventually } from '../../support/eventually.js';
import { McpScratch, startHttpFixture, type HttpFixture } from './support/fixture-servers.js';

const secret = 'sk-fixture-secret-4242';
const testBackoff = { initialMs: 200, maxMs: 1_000, stableMs: 60_000 };

describe('MCP servers that fail', () => {
  let scratch: McpScratch;
  let source: McpToolSource | undefined;
  let http: HttpFixture | undefined;
  const logger = new RecordingLogger();
  const signal = new AbortController().signal;

  beforeEach(async () => {
    scratch = await McpScratch.create();
    logger.lines.length = 0;
  });
  afterEach(async () => {
    await source?.close();
    await http?.stop();
    await scratch.remove();
    source = undefined;
    http = undefined;
  });

  async function load(servers: Record<string, unknown>, options: { connectTimeoutMs?: number } = {}): Promise<ToolRegistry> {
    source = await McpToolSource.load(await scratch.writeToolsFile(servers), process.env, { logger, clientVersion: 'test', callTimeoutMs: 30_000, backoff: testBackoff, ...options });
    return new ToolRegistry({ logger, defaultTimeoutMs: 20_000 }).addSource(source);
  }

  it('turns a stdio server that crashes mid-call into a tool error, restarts it, and never logs its secrets', async () => {
    const registry = await load({ local: scratch.stdioEntry({ FIXTURE_SECRET: secret }) });
    await source!.start(60_000);
    await expect(registry.run('local__crash', {}, signal)).rejects.toThrow('local__crash failed: the server closed the connection');
    expect(registry.get('local__echo')).toBeUndefined();
    await eventually(() => source!.health().servers[0]!.state === 'ready', 30_000);
    expect(await registry.run('local__echo', { text: 'back' }, signal)).toBe('echo: back');
    expect((await scratch.log()).filter((entry) => entry.event === 'started')).toHaveLength(2);

    const lost = logger.lines.find((line) => line.message === 'MCP server connection lost; reconnecting');
    expect(lost?.fields).toStrictEqual({ server: 'local', transport: 'stdio', reason: 'the server closed the connection', stderr: 'fatal: crashing on purpose with [redacted]' });
    expect(JSON.stringify(logger.lines)).not.toContain(secret);
  });

  it('notices a Streamable HTTP server that went away, and reconnects when it is back on its address', async () => {
    http = await startHttpFixture(scratch, 'token');
    const registry = await load({ remote: { url: http.url, headers: { Authorization: 'Bearer token' } } });
    await source!.start(60_000);
    expect(await registry.run('remote__echo', { text: 'one' }, signal)).toBe('echo: one');
    const port = http.port;
    await http.stop();

    await expect(registry.run('remote__echo', { text: 'two' }, signal)).rejects.toThrow(/^remote__echo failed: fetch failed/);
    expect(source!.health().servers[0]).toMatchObject({ state: 'reconnecting', tools: 0 });
    http = await startHttpFixture(scratch, 'token', port);
    await eventually(() => source!.health().servers[0]!.state === 'ready', 30_000);
    expect(await registry.run('remote__echo', { text: 'three' }, signal)).toBe('echo: three');
  });

  it('keeps retrying, with one log line, a server that refuses Parley\'s headers, without showing them', async () => {
    http = await startHttpFixture(scratch, 'right-token');
    await load({ remote: { url: http.url, headers: { Authorization: 'Bearer wrong-token-123' } } });
    await source!.start(60_000);
    await eventually(() => logger.lines.length > 0 && source!.health().servers[0]!.state === 'reconnecting');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const server = source!.health().servers[0]!;
    expect(server.last_error).toBe("the server answered HTTP 401: no entry");
    expect(logger.lines.map((line) => line.message)).toStrictEqual(['MCP server did not connect; retrying with backoff']);
    expect(JSON.stringify([logger.lines, source!.health()])).not.toContain('wrong-token-123');
  });

  it('does not let a server that never answers hold readiness, and retries it after the connect timeout', async () => {
    await load({ silent: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] } }, { connectTimeoutMs: 1_000 });
    const started = Date.now();
    await source!.start(500);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(source!.health().servers[0]).toMatchObject({ state: 'connecting', tools: 0 });
    await eventually(() => source!.health().servers[0]!.state === 'reconnecting');
    expect(source!.health().servers[0]!.last_error).toBe('the server did not answer in time');
  });

  it('starts without MCP servers when the file is not JSON, and never quotes its text', async () => {
    const path = `${scratch.dir}/broken.json`;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, `{"mcpServers": {"a": {"command": "x", "env": {"KEY": ${secret}}}}}`);
    source = await McpToolSource.load(path, process.env, { logger, clientVersion: 'test', callTimeoutMs: 1_000 });
    await source.start();
    expect(source.health()).toStrictEqual({ file_error: 'TOOLS_FILE is not valid JSON', servers: [] });
    expect(logger.lines).toStrictEqual([{ level: 'error', fields: { file: path, problem: 'is not valid JSON' }, message: 'TOOLS_FILE is unusable; Parley runs without MCP servers' }]);
  });
});
