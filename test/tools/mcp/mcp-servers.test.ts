import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isParleyError } from '../../../src/errors/index.js';
import { toProviderTools } from '../../../src/llm/to-provider-tools.js';
import { McpToolSource } from '../../../src/tools/mcp/mcp-tool-source.js';
import { ToolRegistry } from '../../../src/tools/tool-registry.js';
import { RecordingLogger } from '../../fakes/recording-logger.js';
import { eventually } from '../../support/eventually.js';
import { McpScratch, startHttpFixture, type HttpFixture } from './support/fixture-servers.js';

const secret = 'sk-fixture-secret-4242';
const token = 'bearer-secret-7777';
const testBackoff = { initialMs: 100, maxMs: 1_000, stableMs: 60_000 };

async function failureOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    expect(isParleyError(error) && error.code).toBe('tool_error');
    return (error as Error).message;
  }
  throw new Error('the call succeeded');
}

describe('MCP servers from the tools file', () => {
  let scratch: McpScratch;
  let http: HttpFixture;
  let source: McpToolSource;
  let registry: ToolRegistry;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    scratch = await McpScratch.create();
    http = await startHttpFixture(scratch, token);
    process.env.PARLEY_TEST_ONLY_SECRET = 'not for children';
    const path = await scratch.writeToolsFile({
      local: scratch.stdioEntry({ FIXTURE_SECRET: secret }),
      remote: { url: http.url, headers: { Authorization: `Bearer ${token}` } },
      missing: { command: 'parley-no-such-command', args: ['--flag'] },
      badurl: { url: 'ftp://example.com/mcp' },
      'bad__name': { command: 'node' },
    });
    source = await McpToolSource.load(path, process.env, { logger, clientVersion: 'test', callTimeoutMs: 30_000, backoff: testBackoff });
    registry = new ToolRegistry({ logger, defaultTimeoutMs: 20_000 }).addSource(source);
    await source.start(60_000);
  });
  afterAll(async () => {
    await source?.close();
    await http?.stop();
    await scratch?.remove();
    delete process.env.PARLEY_TEST_ONLY_SECRET;
  });

  it('offers each ready server\'s tools as <server>__<tool>, with the JSON schema the server wrote', () => {
    const names = registry.list().map((tool) => tool.name);
    expect(names).toContain('local__echo');
    expect(names).toContain('remote__echo');
    expect(names.filter((name) => name.startsWith('local__'))).toHaveLength(9);
    const echo = toProviderTools(registry).find((tool) => tool.name === 'local__echo');
    expect(echo).toStrictEqual({
      type: 'function',
      name: 'local__echo',
      description: 'Says the text back.',
      inputSchema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { text: { type: 'string', description: 'What to say back' }, times: { type: 'integer', minimum: 1, maximum: 3 } },
        required: ['text'],
      },
    });
  });

  it('lists every server for /health, and says in one log line each what is wrong with the others', () => {
    expect(source.health()).toStrictEqual({
      servers: [
        { name: 'local', transport: 'stdio', state: 'ready', tools: 9, last_error: null },
        { name: 'remote', transport: 'http', state: 'ready', tools: 9, last_error: null },
        { name: 'missing', transport: 'stdio', state: 'failed', tools: 0, last_error: 'command "parley-no-such-command" was not found' },
        { name: 'badurl', transport: 'http', state: 'failed', tools: 0, last_error: 'url: must be an http:// or https:// URL' },
        { name: 'bad__name', transport: 'stdio', state: 'failed', tools: 0, last_error: expect.stringContaining('not contain "__"') as string },
      ],
    });
    const errors = logger.lines.filter((line) => line.level === 'error').map((line) => ({ message: line.message, server: (line.fields as { server: string }).server }));
    expect(errors).toStrictEqual([
      { message: 'MCP server entry refused; Parley runs without it', server: 'badurl' },
      { message: 'MCP server entry refused; Parley runs without it', server: 'bad__name' },
      { message: 'MCP server could not be started; Parley runs without it', server: 'missing' },
    ]);
  });

  it('gives the model a call\'s text or structured content; an isError result and a server-side refusal become errors it reads', async () => {
    const signal = new AbortController().signal;
    expect(await registry.run('local__echo', { text: 'hi', times: 2 }, signal)).toBe('echo: hi echo: hi');
    expect(await registry.run('remote__echo', { text: 'over http' }, signal)).toBe('echo: over http');
    expect(await registry.run('local__structured', {}, signal)).toStrictEqual({ city: 'Lyon', population: 522000 });
    expect(await failureOf(registry.run('local__fail', {}, signal))).toBe('local__fail failed: the fixture failed on purpose');
    expect(await failureOf(registry.run('remote__echo', { text: 5 }, signal))).toMatch(/^remote__echo failed: .*expected string, received number/);
    expect(await failureOf(registry.run('local__echo', ['not', 'an', 'object'], signal))).toBe('invalid arguments for local__echo: arguments must be a JSON object');
  });

  for (const server of ['local', 'remote']) {
    it(`stops a ${server} call at the tool's time limit, and the server hears the cancellation`, async () => {
      const quick = new ToolRegistry({ logger, defaultTimeoutMs: 300 }).addSource(source);
      const before = (await scratch.log()).filter((entry) => entry.event === 'cancelled').length;
      expect(await failureOf(quick.run(`${server}__sleep`, { ms: 30_000 }, new AbortController().signal))).toBe(`${server}__sleep took longer than 300 ms and was stopped`);
      await eventually(async () => (await scratch.log()).filter((entry) => entry.event === 'cancelled').length > before);
    });

    it(`cancels a ${server} call when the turn is cancelled, and the server hears it`, async () => {
      const turn = new AbortController();
      const before = await scratch.log();
      const call = registry.run(`${server}__sleep`, { ms: 30_000 }, turn.signal);
      await eventually(async () => (await scratch.log()).filter((entry) => entry.event === 'sleeping').length > before.filter((entry) => entry.event === 'sleeping').length);
      turn.abort();
      expect(await failureOf(call)).toBe(`${server}__sleep was cancelled`);
      await eventually(async () => (await scratch.log()).filter((entry) => entry.event === 'cancelled').length > before.filter((entry) => entry.event === 'cancelled').length);
    });

    it(`cuts a 10 MB ${server} result to 64 KB with a note, and the server goes on answering`, async () => {
      const result = await registry.run(`${server}__big`, { bytes: 10 * 1024 * 1024 }, new AbortController().signal);
      expect(typeof result).toBe('string');
      expect(Buffer.byteLength(result as string)).toBeLessThanOrEqual(64 * 1024);
      expect(result).toMatch(/^x{60000,}\n\[Parley cut this result: the tool returned 10485760 bytes; the first part is shown\.\]$/);
      expect(await registry.run(`${server}__echo`, { text: 'still here' }, new AbortController().signal)).toBe('echo: still here');
    });

    it(`offers a tool the ${server} server adds at run time (tools/list_changed)`, async () => {
      expect(registry.get(`${server}__late`)).toBeUndefined();
      await registry.run(`${server}__add_tool`, { name: 'late' }, new AbortController().signal);
      await eventually(() => registry.get(`${server}__late`) !== undefined);
      expect(await registry.run(`${server}__late`, {}, new AbortController().signal)).toBe('late ran');
    });
  }

  it('keeps a server that floods stderr and stdout working, with at most one log line about it', async () => {
    const linesBefore = logger.lines.length;
    expect(await registry.run('local__flood', { megabytes: 4 }, new AbortController().signal)).toBe('flooded');
    expect(await registry.run('local__echo', { text: 'after the flood' }, new AbortController().signal)).toBe('echo: after the flood');
    // One line, or none when an earlier test's line started the minute.
    const newLines = logger.lines.slice(linesBefore).map((line) => line.message);
    expect(newLines.length).toBeLessThanOrEqual(1);
    expect(newLines.every((message) => message === 'MCP server transport error (logged at most once a minute)')).toBe(true);
    expect(source.health().servers[0]).toMatchObject({ name: 'local', state: 'ready' });
  });

  it('gives a stdio server its entry\'s env and a few safe variables, never Parley\'s own environment', async () => {
    const names = String(await registry.run('local__environment', {}, new AbortController().signal)).split(',');
    expect(names).toContain('FIXTURE_SECRET');
    expect(names).toContain('PATH');
    expect(names).not.toContain('PARLEY_TEST_ONLY_SECRET');
  });
});
