import { describe, expect, it } from 'vitest';
import { callResultToModel, fitUtf8 } from '../../../src/tools/mcp/call-result-to-model.js';

describe('an MCP call result as the model reads it', () => {
  it('gives text blocks as text, binary blocks by name and size, and structured content as JSON', () => {
    expect(callResultToModel('s__t', { content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] })).toBe('one\ntwo');
    expect(callResultToModel('s__t', {
      content: [
        { type: 'image', data: 'AAAA', mimeType: 'image/png' },
        { type: 'resource_link', name: 'readme', uri: 'file:///README.md' },
        { type: 'resource', resource: { uri: 'file:///a.txt', text: 'inline text' } },
        { type: 'resource', resource: { uri: 'file:///a.bin', blob: 'AAAAAAAA', mimeType: 'application/octet-stream' } },
      ],
    })).toBe('[image image/png, 3 bytes, not shown]\n[resource readme: file:///README.md]\ninline text\n[resource file:///a.bin (application/octet-stream), 6 bytes, not shown]');
    expect(callResultToModel('s__t', { content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } })).toStrictEqual({ a: 1 });
  });

  it('throws an isError result as a tool error with the server\'s words', () => {
    expect(() => callResultToModel('s__t', { content: [{ type: 'text', text: 'no such file' }], isError: true })).toThrow('s__t failed: no such file');
    expect(() => callResultToModel('s__t', { content: [], isError: true })).toThrow('s__t failed: the tool reported an error without words');
  });

  it('cuts what is too long on a character boundary and says how long it was', () => {
    const cut = fitUtf8('é'.repeat(1000), 500);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(500);
    expect(cut).toMatch(/^é+\n\[Parley cut this result: the tool returned 2000 bytes; the first part is shown\.\]$/);
    const structured = callResultToModel('s__t', { content: [], structuredContent: { rows: 'x'.repeat(1000) } }, 200);
    expect(structured).toMatch(/^\{"rows":"x+\n\[Parley cut this result: the tool returned 1011 bytes/);
  });
});
