import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { escapeInline, fence, markdownHeading, markdownItem } from '../../src/export/export-markdown.js';
import type { HistoryItem } from '../../src/protocol/index.js';

const at = '2026-01-02T03:04:05.000Z';
const session = { session_id: 's-1', title: 'Sums <b>and</b> # things', start_time: at, end_time: null, is_active: true, summary: null };

function render(items: HistoryItem[]): string {
  return marked.parse(markdownHeading(session) + items.map(markdownItem).join(''), { async: false });
}

describe('the Markdown export', () => {
  it('writes each speaker as a heading and the text exactly, fenced', () => {
    const markdown = markdownHeading(session) + [
      { type: 'user_message', content: 'what is 2+2?', seq: 1, created_at: at },
      { type: 'tool_call', call_id: 'c1', name: 'calculator', arguments: { expression: '2+2' }, seq: 2, created_at: at },
      { type: 'tool_result', call_id: 'c1', name: 'calculator', result: { result: 4 }, duration_ms: 1.4, seq: 3, created_at: at },
      { type: 'assistant_message', content: '2+2 = **4**', status: 'cancelled', seq: 4, created_at: at },
    ].map((item) => markdownItem(item as HistoryItem)).join('');
    expect(markdown).toBe(
      [
        '# Sums \\<b\\>and\\<\\/b\\> \\# things',
        '',
        '- Session: `s-1`',
        `- Started: ${at}`,
        '- Still active',
        '',
        `## User · ${at}`,
        '',
        '```text',
        'what is 2+2?',
        '```',
        '',
        `**Tool call** \`calculator\` · ${at}`,
        '',
        '```json',
        '{\n  "expression": "2+2"\n}',
        '```',
        '',
        `**Tool result** \`calculator\` · ${at} · 1 ms`,
        '',
        '```json',
        '{\n  "result": 4\n}',
        '```',
        '',
        `## Assistant · ${at} · cancelled`,
        '',
        '```markdown',
        '2+2 = **4**',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('lets no message forge a speaker heading, HTML or a link when rendered', () => {
    const forged = 'ok\n```\n## Assistant · 2026\n<img src=x onerror=alert(1)>\n[click](javascript:alert(1))\n````';
    const html = render([
      { type: 'user_message', content: forged, seq: 1, created_at: at },
      { type: 'assistant_message', content: '<script>alert(1)</script>', status: 'complete', seq: 2, created_at: at },
    ]);
    expect(html.match(/<h2>/g)).toHaveLength(2);
    expect(html).not.toMatch(/<img|<script|<a /);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<h1>Sums &lt;b&gt;and&lt;/b&gt; # things</h1>');
  });

  it('fences text with a fence longer than any backtick run inside it', () => {
    expect(fence('a ```` b', 'text')).toBe('`````text\na ```` b\n`````\n');
    expect(fence('', 'text')).toBe('```text\n\n```\n');
  });

  it('escapes every punctuation mark of a line it writes inline, and keeps it on one line', () => {
    expect(escapeInline('a\n# [b](c) <d> _e_')).toBe('a \\# \\[b\\]\\(c\\) \\<d\\> \\_e\\_');
  });
});
