import { describe, expect, it } from 'vitest';
import { toolLabel } from '../../web/src/text/tool-label.js';

describe('how a tool card names a tool', () => {
  it('names built-ins by their label and MCP tools by their own name and server', () => {
    expect(toolLabel('calculator')).toStrictEqual({ label: 'Calculator' });
    expect(toolLabel('github__create_issue')).toStrictEqual({ label: 'create_issue', server: 'github' });
    expect(toolLabel('files__read__deep')).toStrictEqual({ label: 'read__deep', server: 'files' });
    expect(toolLabel('__odd')).toStrictEqual({ label: '__odd' });
    expect(toolLabel('odd__')).toStrictEqual({ label: 'odd__' });
    expect(toolLabel('plain_tool')).toStrictEqual({ label: 'plain_tool' });
  });
});
