import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { createDefaultToolRegistry } from '../../src/tools/default-tools.js';
import { createToolNameFilter } from '../../src/tools/tool-name-filter.js';
import { RecordingLogger } from '../fakes/recording-logger.js';

describe('the operator\'s allow and deny lists', () => {
  it('offers everything with no lists, and lets deny win over allow', () => {
    expect(createToolNameFilter(undefined, [])('github__create_issue')).toBe(true);
    const filter = createToolNameFilter(['calculator', 'github__*'], ['github__delete_*']);
    expect(['calculator', 'fetch_data', 'github__create_issue', 'github__delete_repo', 'githubby__x'].filter(filter)).toStrictEqual(['calculator', 'github__create_issue']);
  });

  it('takes a dot in a pattern as a dot, not as any character', () => {
    expect(createToolNameFilter(['a.b'], [])('axb')).toBe(false);
    expect(createToolNameFilter(['a.b'], [])('a.b')).toBe(true);
  });

  it('hides a denied built-in from the model and refuses to run it', async () => {
    const settings = loadSettings({ TOOLS_DENY: 'fetch_data' });
    const registry = createDefaultToolRegistry({ logger: new RecordingLogger(), isAllowed: createToolNameFilter(settings.TOOLS_ALLOW, settings.TOOLS_DENY) });
    expect(registry.list().map((tool) => tool.name)).toStrictEqual(['calculator']);
    await expect(registry.run('fetch_data', {}, new AbortController().signal)).rejects.toThrow('unknown tool "fetch_data"');
  });

  it('refuses a pattern with characters no tool name has, naming it', () => {
    expect(() => loadSettings({ TOOLS_ALLOW: 'calculator, rm -rf' })).toThrow('TOOLS_ALLOW="calculator, rm -rf": "rm -rf" is not a tool name');
  });
});
