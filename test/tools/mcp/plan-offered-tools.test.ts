import { describe, expect, it } from 'vitest';
import { planOfferedTools } from '../../../src/tools/mcp/plan-offered-tools.js';
import { nextAttempt, reconnectDelay } from '../../../src/tools/mcp/reconnect-delay.js';

const schema = { type: 'object' as const, properties: {} };

describe('which MCP tools are offered', () => {
  it('prefixes each with its server, keeps its schema, and leaves out names models refuse, with why', () => {
    const { offered, skipped } = planOfferedTools('files', [
      { name: 'read_file', description: 'Reads a file.', inputSchema: schema },
      { name: 'read.file', inputSchema: schema },
      { name: 'x'.repeat(60), inputSchema: schema },
      { name: 'read_file', inputSchema: schema },
      { name: 'huge', inputSchema: { type: 'object', properties: { a: { description: 'y'.repeat(40_000) } } } },
    ]);
    expect(offered).toStrictEqual([{ name: 'files__read_file', serverToolName: 'read_file', description: 'Reads a file.', inputSchema: schema }]);
    expect(skipped).toStrictEqual([
      'read.file: its name, with the server prefix, is not 1 to 64 letters, digits, "_" or "-"',
      `${'x'.repeat(60)}: its name, with the server prefix, is not 1 to 64 letters, digits, "_" or "-"`,
      'read_file: the server lists it twice',
      'huge: its input schema is over 32768 bytes',
    ]);
  });
});

describe('the reconnect backoff', () => {
  const policy = { initialMs: 500, maxMs: 30_000, stableMs: 30_000 };

  it('doubles from half a second to a 30 s cap, within ±20%', () => {
    expect([0, 1, 2, 3, 6, 7, 40].map((attempt) => reconnectDelay(attempt, policy, () => 0.5))).toStrictEqual([500, 1000, 2000, 4000, 30_000, 30_000, 30_000]);
    expect(reconnectDelay(0, policy, () => 0)).toBe(400);
    expect(reconnectDelay(0, policy, () => 1)).toBe(600);
  });

  it('starts again from the shortest wait after a connection that stayed up, not after one that flapped', () => {
    expect(nextAttempt(5, 60_000, policy)).toBe(0);
    expect(nextAttempt(5, 2_000, policy)).toBe(6);
    expect(nextAttempt(-1, null, policy)).toBe(0);
  });
});
