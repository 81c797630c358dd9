import type { Queryable } from '../../src/store/types.js';

/**
 * A small event log whose figures are counted by hand in the tests (analytics-api.test.ts,
 * the dashboard's browser test). Two UTC days, 2026-03-01 and 2026-03-02, plus one event just
 * before and one just after them, which no report of those days may count.
 *
 * | session | owner | day | turns (status, ttft ms, duration ms, model, tokens in/out) | tools | other |
 * |---|---|---|---|---|---|
 * | a1 | alice | 1 | complete 100/1000 m-large 50/10; cancelled 200/300 m-large 20/2 | calculator ok | |
 * | b1 | bob   | 1 | error (llm_timeout) no ttft/500 m-small 30/0, at 23:59:59.999 | fetch_data failed | |
 * | a2 | alice | 2 | complete 300/2000 m-small 40/20 at 00:00:00.000; interrupted 400/4000 m-large 60/30 | calculator failed, calculator ok | |
 * | n1 | none  | 2 | complete 500/600, no model named, 5/5 | | a write_failed event |
 */
export const fixtureDays = { first: '2026-03-01', second: '2026-03-02' };

interface FixtureEvent {
  session: string;
  at: string;
  type: 'user_message' | 'assistant_message' | 'tool_call' | 'tool_result' | 'write_failed';
  content?: string;
  metadata?: Record<string, unknown>;
}

const turn = (status: string, ttft: number | null, duration: number, model: string | null, promptTokens: number, completionTokens: number, extra: Record<string, unknown> = {}) => ({
  status,
  finish_reason: status === 'complete' ? 'stop' : status,
  ttft_ms: ttft,
  duration_ms: duration,
  prompt_tokens: promptTokens,
  completion_tokens: completionTokens,
  usage_estimated: status !== 'complete',
  ...(model === null ? {} : { model }),
  ...extra,
});

const toolCall = (session: string, at: string, name: string, callId: string): FixtureEvent => ({
  session, at, type: 'tool_call', content: name, metadata: { call_id: callId, name, arguments: {} },
});
const toolResult = (session: string, at: string, name: string, callId: string, failed: boolean): FixtureEvent => ({
  session,
  at,
  type: 'tool_result',
  content: name,
  metadata: { call_id: callId, name, ...(failed ? { error: 'it broke' } : { result: 1 }), duration_ms: 3 },
});

const events: FixtureEvent[] = [
  { session: 'b1', at: '2026-02-28T23:59:59.999Z', type: 'assistant_message', content: 'before the range', metadata: turn('complete', 9_999, 9_999, 'm-large', 1_000, 1_000) },

  { session: 'a1', at: '2026-03-01T09:00:00Z', type: 'user_message', content: 'what is 2+2?' },
  toolCall('a1', '2026-03-01T09:00:01Z', 'calculator', 'c1'),
  toolResult('a1', '2026-03-01T09:00:01.5Z', 'calculator', 'c1', false),
  { session: 'a1', at: '2026-03-01T09:00:02Z', type: 'assistant_message', content: '4', metadata: turn('complete', 100, 1_000, 'm-large', 50, 10) },
  { session: 'a1', at: '2026-03-01T09:10:00Z', type: 'user_message', content: 'tell me more' },
  { session: 'a1', at: '2026-03-01T09:10:01Z', type: 'assistant_message', content: 'Well', metadata: turn('cancelled', 200, 300, 'm-large', 20, 2) },

  { session: 'b1', at: '2026-03-01T23:59:58Z', type: 'user_message', content: 'find order 7' },
  toolCall('b1', '2026-03-01T23:59:58.5Z', 'fetch_data', 'f1'),
  toolResult('b1', '2026-03-01T23:59:59Z', 'fetch_data', 'f1', true),
  { session: 'b1', at: '2026-03-01T23:59:59.999Z', type: 'assistant_message', content: '', metadata: turn('error', null, 500, 'm-small', 30, 0, { error_code: 'llm_timeout', error_message: 'no answer' }) },

  { session: 'a2', at: '2026-03-01T23:59:59.500Z', type: 'user_message', content: 'hello' },
  { session: 'a2', at: '2026-03-02T00:00:00.000Z', type: 'assistant_message', content: 'hi', metadata: turn('complete', 300, 2_000, 'm-small', 40, 20) },
  { session: 'a2', at: '2026-03-02T12:00:00Z', type: 'user_message', content: 'compute twice' },
  toolCall('a2', '2026-03-02T12:00:01Z', 'calculator', 'c2'),
  toolResult('a2', '2026-03-02T12:00:01.2Z', 'calculator', 'c2', true),
  toolCall('a2', '2026-03-02T12:00:02Z', 'calculator', 'c3'),
  toolResult('a2', '2026-03-02T12:00:02.2Z', 'calculator', 'c3', false),
  { session: 'a2', at: '2026-03-02T12:00:04Z', type: 'assistant_message', content: 'The first', metadata: turn('interrupted', 400, 4_000, 'm-large', 60, 30) },

  { session: 'n1', at: '2026-03-02T13:00:00Z', type: 'user_message', content: 'anyone?' },
  { session: 'n1', at: '2026-03-02T13:00:01Z', type: 'assistant_message', content: 'yes', metadata: turn('complete', 500, 600, null, 5, 5) },
  { session: 'n1', at: '2026-03-02T13:01:00Z', type: 'write_failed', metadata: { error_code: 'write_failed' } },

  { session: 'b1', at: '2026-03-03T00:00:00.000Z', type: 'assistant_message', content: 'after the range', metadata: turn('complete', 9_999, 9_999, 'm-large', 1_000, 1_000) },
];

const owners: Record<string, string | null> = { a1: 'alice', a2: 'alice', b1: 'bob', n1: null };

/** Writes the fixture's sessions and events (with their times) into a migrated database. */
export async function seedAnalyticsFixture(database: Queryable): Promise<void> {
  for (const [sessionId, owner] of Object.entries(owners)) {
    await database.query(`INSERT INTO sessions (session_id, user_id, start_time) VALUES ($1, $2, '2026-02-28T00:00:00Z')`, [sessionId, owner]);
  }
  let seq = 0;
  for (const event of events) {
    seq += 1;
    await database.query(
      `INSERT INTO session_events (session_id, event_type, content, metadata, seq, created_at) VALUES ($1, $2, $3, $4::text::jsonb, $5, $6)`,
      [event.session, event.type, event.content ?? null, JSON.stringify(event.metadata ?? {}), seq, event.at],
    );
  }
}
