import { describe, expect, it } from 'vitest';
import { Turn } from '../../client/src/turn.js';
import { TurnTracker } from '../../client/src/turn-tracker.js';
import type { HistoryItem, ServerFrame, SessionFrame } from '../../src/protocol/index.js';

const model = { provider: 'offline', model: 'parley-offline' };
const at = '2025-01-01T00:00:00.000Z';
const session = (extra: Partial<SessionFrame> = {}): SessionFrame => ({ type: 'session', session_id: 's', resumed: true, last_seq: 0, model, turn_in_progress: false, ...extra });
const tracker = () => new TurnTracker(-1, (id) => new Turn(id));

async function tokensOf(turn: Turn): Promise<string[]> {
  const tokens: string[] = [];
  for await (const token of turn.tokens) tokens.push(token);
  return tokens;
}

describe('sorting frames into turns', () => {
  it('drops a frame seen before and keeps the highest seq for the next reconnect', () => {
    const turns = tracker();
    const token: ServerFrame = { type: 'token', seq: 2, content: 'Hi' };
    expect(turns.frame({ type: 'ack', seq: 1, content: 'hello' }).deliver).toBe(true);
    expect(turns.frame(token).deliver).toBe(true);
    expect(turns.frame(token).deliver).toBe(false);
    expect(turns.lastSeq).toBe(2);
  });

  it('ends a turn that finished while the client was away from history, adding the text it missed as one last token', async () => {
    const turns = tracker();
    const turn = new Turn('m1');
    turns.sent(turn, { type: 'message', content: 'hello', id: 'm1' });
    turns.frame({ type: 'ack', seq: 1, id: 'm1', content: 'hello' });
    turns.frame({ type: 'token', seq: 2, content: 'Hel' });
    const history: HistoryItem[] = [
      { type: 'user_message', content: 'hello', id: 'm1', seq: 1, created_at: at },
      { type: 'assistant_message', content: 'Hello there', status: 'complete', seq: 5, created_at: at },
    ];
    expect(turns.connected(session({ history }))).toStrictEqual([]);
    expect(await tokensOf(turn)).toStrictEqual(['Hel', 'lo there']);
    expect(await turn.done).toMatchObject({ finishReason: 'stop', text: 'Hello there', frame: null });
  });

  it('sends again, with its id, a message the server had not stored, and takes one it had stored from history', async () => {
    const turns = tracker();
    const stored = new Turn('stored');
    const lost = new Turn('lost');
    turns.sent(stored, { type: 'message', content: 'first', id: 'stored' });
    turns.sent(lost, { type: 'message', content: 'second', id: 'lost', interrupt: true });
    const history: HistoryItem[] = [
      { type: 'user_message', content: 'first', id: 'stored', seq: 1, created_at: at },
      { type: 'assistant_message', content: 'Answer', status: 'cancelled', seq: 3, created_at: at },
    ];
    expect(turns.connected(session({ history }))).toStrictEqual([{ type: 'message', content: 'second', id: 'lost', interrupt: true }]);
    expect((await stored.acked).seq).toBe(1);
    expect((await stored.done).finishReason).toBe('cancelled');
  });

  it('starts a turn for frames of an answer joined midway, and ends it at done', async () => {
    const turns = tracker();
    const effect = turns.frame({ type: 'token', seq: 7, content: 'joined' });
    expect(effect.started).not.toBeNull();
    turns.frame({ type: 'done', seq: 8, finish_reason: 'stop' });
    expect(turns.current).toBeNull();
    expect(await tokensOf(effect.started!)).toStrictEqual(['joined']);
  });
});
