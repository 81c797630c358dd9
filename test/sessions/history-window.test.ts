import { describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../src/protocol/index.js';
import { frameHistoryStart, historyWindowStart, recentTurnsStart } from '../../src/sessions/history-window.js';

const created_at = '2026-01-01T00:00:00.000Z';

/** `count` turns of a question and an answer of `answerChars` characters each. */
function conversation(count: number, answerChars = 100): HistoryItem[] {
  return Array.from({ length: count }, (_, index): HistoryItem[] => [
    { type: 'user_message', content: `question ${index}`, id: `m${index}`, seq: index * 10 + 1, created_at },
    { type: 'assistant_message', content: 'a'.repeat(answerChars), status: 'complete', seq: index * 10 + 10, created_at },
  ]).flat();
}

const bytesOf = (items: readonly HistoryItem[]) => items.reduce((total, item) => total + Buffer.byteLength(JSON.stringify(item)), 0);

describe('the history a session frame carries', () => {
  it('is the whole conversation when it has few turns', () => {
    expect(frameHistoryStart(conversation(3), { frameTurns: 50, frameBytes: 1_000_000 })).toBe(0);
  });

  it('is the newest turns, up to the count', () => {
    const history = conversation(80);
    expect(frameHistoryStart(history, { frameTurns: 50, frameBytes: 1_000_000 })).toBe(60);
  });

  it('holds fewer turns when they would not fit the bytes a socket may buffer, and whole ones', () => {
    const history = conversation(20, 10_000);
    const start = frameHistoryStart(history, { frameTurns: 50, frameBytes: 35_000 });
    expect(start).toBe(34);
    expect(bytesOf(history.slice(start))).toBeLessThanOrEqual(35_000);
    expect(history[start]!.type).toBe('user_message');
  });

  it('holds none when the newest turn alone is too large: the client reads it through the events API', () => {
    const history = conversation(2, 50_000);
    expect(frameHistoryStart(history, { frameTurns: 50, frameBytes: 20_000 })).toBe(history.length);
  });
});

describe('what a session keeps in memory', () => {
  it('keeps everything while the frame turns and the context budget need all of it', () => {
    expect(historyWindowStart(conversation(30), { contextBudgetTokens: 24_000, frameTurns: 50, frameBytes: 1_000_000 })).toBeNull();
  });

  it('keeps the frame turns when the model needs fewer', () => {
    const history = conversation(200);
    expect(historyWindowStart(history, { contextBudgetTokens: 500, frameTurns: 50, frameBytes: 1_000_000 })).toBe(recentTurnsStart(history, 50));
  });

  it('keeps more than the frame turns when the model can use more, starting at a user message', () => {
    const history = conversation(2_000);
    const start = historyWindowStart(history, { contextBudgetTokens: 24_000, frameTurns: 50, frameBytes: 1_000_000 })!;
    expect(start).toBeLessThan(recentTurnsStart(history, 50)!);
    expect(start).toBeGreaterThan(0);
    expect(history[start]!.type).toBe('user_message');
  });

  it('asks for older items when what it read starts in the middle of a turn that is needed', () => {
    const history = conversation(60).slice(1);
    expect(historyWindowStart(history, { contextBudgetTokens: 100_000, frameTurns: 10, frameBytes: 1_000_000 })).toBeNull();
  });
});
