import { describe, expect, it } from 'vitest';
import { formatTranscript, parseTranscript, toTranscriptEntries, type TranscriptEntry } from '../../src/llm/summarize-transcript.js';
import type { HistoryItem } from '../../src/protocol/index.js';
import { twoTurnHistory } from './summarize-fixtures.js';

describe('the summary transcript', () => {
  it('reads back exactly what it wrote', () => {
    const entries = toTranscriptEntries(twoTurnHistory);
    expect(parseTranscript(`preamble\n<transcript>\n${formatTranscript(entries)}\n</transcript>`)).toStrictEqual(entries);
  });

  it('puts each entry on one line and shortens long ones', () => {
    const at = '2025-01-01T00:00:00.000Z';
    const history: HistoryItem[] = [
      { type: 'user_message', content: `first line\nsecond line ${'word '.repeat(200)}`, seq: 1, created_at: at },
      { type: 'assistant_message', content: '', status: 'interrupted', seq: 2, created_at: at },
    ];
    const [user, assistant] = toTranscriptEntries(history);
    expect(user?.role === 'user' && user.text.length).toBeLessThanOrEqual(500);
    expect(user?.role === 'user' && user.text.endsWith('word…')).toBe(true);
    expect(user?.role === 'user' && user.text.startsWith('first line second line word')).toBe(true);
    expect(assistant).toStrictEqual({ role: 'assistant', text: '', status: 'interrupted' });
    expect(formatTranscript([assistant!])).toBe('Assistant (interrupted): ');
  });

  it('keeps the start and the end of a long conversation and says how much it left out', () => {
    const entries: TranscriptEntry[] = Array.from({ length: 100 }, (_, index) => ({ role: 'user', text: `message ${index} ${'x'.repeat(80)}` }));

    const transcript = formatTranscript(entries, 2_000);

    expect(transcript.length).toBeLessThanOrEqual(2_000 + 30);
    const lines = transcript.split('\n');
    expect(lines[0]).toMatch(/^User: message 0 /);
    expect(lines.at(-1)).toMatch(/^User: message 99 /);
    const omitted = lines.find((line) => line.startsWith('['));
    expect(omitted).toBe(`[${100 - (lines.length - 1)} entries omitted]`);
  });
});
