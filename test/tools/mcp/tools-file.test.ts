import { describe, expect, it } from 'vitest';
import { parseToolsFile } from '../../../src/tools/mcp/tools-file.js';

const parse = (servers: unknown, environment: Record<string, string> = {}) => parseToolsFile(JSON.stringify({ mcpServers: servers }), environment);

describe('the tools file', () => {
  it('reads stdio and Streamable HTTP entries in the shape MCP clients share, ignoring keys other clients add', () => {
    expect(parse({
      files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv'], env: { DEBUG: '1' }, disabled: false },
      github: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer abc' } },
    })).toStrictEqual({
      servers: [
        { name: 'files', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv'], env: { DEBUG: '1' } },
        { name: 'github', transport: 'http', type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer abc' } },
      ],
      refused: [],
    });
  });

  it('fills ${NAME} from the environment, so secrets can stay out of the file', () => {
    const file = parse({ api: { url: 'https://x.example/mcp', headers: { Authorization: 'Bearer ${API_TOKEN_FOR_MCP}' } } }, { API_TOKEN_FOR_MCP: 't0k3n' });
    expect(file.servers[0]).toMatchObject({ headers: { Authorization: 'Bearer t0k3n' } });
    expect(parse({ api: { command: 'srv', env: { KEY: '${NOT_SET_ANYWHERE}' } } }).refused).toStrictEqual([
      { name: 'api', transport: 'stdio', problem: 'uses ${NOT_SET_ANYWHERE}, which is not set' },
    ]);
  });

  it('refuses each bad entry on its own, in words, without repeating its values', () => {
    const file = parse({
      ok: { command: 'srv' },
      legacy: { type: 'sse', url: 'https://x.example/sse' },
      nothing: { args: ['x'] },
      'a__b': { command: 'srv' },
      badenv: { command: 'srv', env: { KEY: 12345 } },
      badurl: { url: 'file:///etc/passwd' },
    });
    expect(file.servers.map((server) => server.name)).toStrictEqual(['ok']);
    expect(file.refused).toStrictEqual([
      { name: 'legacy', transport: 'http', problem: 'the SSE transport is not supported; use the server\'s Streamable HTTP URL' },
      { name: 'nothing', transport: 'unknown', problem: 'needs "command" (a stdio server) or "url" (a Streamable HTTP server)' },
      { name: 'a__b', transport: 'stdio', problem: 'the name must be 1 to 32 letters, digits, "-" or "_", start with a letter or digit, and not contain "__"' },
      { name: 'badenv', transport: 'stdio', problem: 'env.KEY: Invalid input: expected string, received number' },
      { name: 'badurl', transport: 'http', problem: 'url: must be an http:// or https:// URL' },
    ]);
    expect(JSON.stringify(file.refused)).not.toContain('12345');
  });

  it('refuses a file that is not JSON, or not in the shape, saying where and never quoting it', () => {
    expect(() => parseToolsFile('{"mcpServers": {"a": {"env": {"K": "v",}}}}', {})).toThrow(/^is not valid JSON \(line 1, column 40\)$/);
    expect(() => parseToolsFile('{"servers": {}}', {})).toThrow('is not in the shape {"mcpServers": {"<name>": {...}}}');
    expect(() => parseToolsFile('{"mcpServers": {"a": {"env": {"K": sk-secret}}}}', {})).toThrow(/^is not valid JSON$/);
  });
});
