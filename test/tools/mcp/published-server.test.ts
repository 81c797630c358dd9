import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpToolSource } from '../../../src/tools/mcp/mcp-tool-source.js';
import { ToolRegistry } from '../../../src/tools/tool-registry.js';
import { RecordingLogger } from '../../fakes/recording-logger.js';
import { McpScratch } from './support/fixture-servers.js';

// The reference server the MCP project publishes on npm, run as any user's tools file would run it.
const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

describe('a published MCP server from npm (@modelcontextprotocol/server-everything)', () => {
  let scratch: McpScratch;
  let source: McpToolSource;
  let registry: ToolRegistry;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    scratch = await McpScratch.create();
    const path = await scratch.writeToolsFile({ everything: { command: process.execPath, args: [everything, 'stdio'] } });
    source = await McpToolSource.load(path, process.env, { logger, clientVersion: 'test', callTimeoutMs: 30_000, backoff: { initialMs: 100, maxMs: 1_000, stableMs: 60_000 } });
    registry = new ToolRegistry({ logger, defaultTimeoutMs: 20_000 }).addSource(source);
    await source.start(60_000);
  });
  afterAll(async () => {
    await source?.close();
    await scratch?.remove();
  });

  it('is ready in /health and offers its tools under its name', () => {
    expect(source.health().servers).toStrictEqual([expect.objectContaining({ name: 'everything', transport: 'stdio', state: 'ready', last_error: null })]);
    const names = registry.list().map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['everything__echo', 'everything__get-sum']));
  });

  it('runs its tools and gives the model their text', async () => {
    const signal = new AbortController().signal;
    expect(await registry.run('everything__get-sum', { a: 2, b: 40 }, signal)).toContain('42');
    expect(await registry.run('everything__echo', { message: 'hello from Parley' }, signal)).toContain('hello from Parley');
  });
});
