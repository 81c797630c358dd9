import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConversation, seededMessageId, seqsPerTurn } from '../../bench/seed-conversation.js';
import { fitContextBudget } from '../../src/llm/fit-context-budget.js';
import type { TurnRequest } from '../../src/llm/model-runner.js';
import type { TurnEvent } from '../../src/llm/turn-event.js';
import { historyFromEvents, type HistoryItem, type ServerFrame } from '../../src/protocol/index.js';
import { defaultFrameTurns } from '../../src/sessions/history-window.js';
import { loadRecentHistory } from '../../src/sessions/load-recent-history.js';
import type { EventPage, SessionStore } from '../../src/store/types.js';
import { scriptedRunner } from '../support/scripted-runner.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

const longTurns = 5_000;
const budget = 24_000;
const history = { contextBudgetTokens: budget, frameTurns: defaultFrameTurns, frameBytes: 2 * 1024 * 1024 };

/** What the model was asked, turn by turn. */
const requests: TurnRequest[] = [];
/** Holds the answer of the next turn until released (for resuming mid-turn). */
let gate: Promise<void> | null = null;

async function* answer(signal: AbortSignal, request: TurnRequest): AsyncGenerator<TurnEvent> {
  requests.push(request);
  yield { type: 'text', text: 'Noted, ' };
  yield { type: 'text', text: 'again ' };
  if (gate) await gate;
  if (!signal.aborted) yield { type: 'text', text: 'and done.' };
  yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 1, completionTokens: 3 } };
}

let server: RunningServer;
let store: SessionStore;

beforeAll(async () => {
  server = await startServer({ CONTEXT_BUDGET_TOKENS: String(budget), FINALIZE_GRACE_MS: '60000' }, { runner: scriptedRunner(answer) });
  store = server.app.parley.store;
  await seedConversation(store, 'long', longTurns);
});
afterAll(async () => {
  await server.close();
});

const seqs = (frames: readonly ServerFrame[]) => frames.flatMap((frame) => ('seq' in frame && frame.seq !== undefined ? [frame.seq] : []));

describe('a session of 5,000 turns', () => {
  it('loads from its log only the recent turns the model and the session frame need, newest pages first', async () => {
    let eventsRead = 0;
    const counting: Pick<SessionStore, 'listEvents'> = {
      listEvents: async (...args) => {
        const page: EventPage = await store.listEvents(...args);
        eventsRead += page.events.length;
        return page;
      },
    };
    const recent = await loadRecentHistory(counting, 'long', history);
    const all = historyFromEvents(await store.loadEvents('long'));

    expect(recent.lastSeq).toBe(longTurns * seqsPerTurn);
    expect(recent.olderHistory).toBe(true);
    expect(recent.history[0]!.type).toBe('user_message');
    expect(recent.history).toStrictEqual(all.slice(-recent.history.length));
    // What the model is given from it is what it would get from all 5,000 turns.
    expect(fitContextBudget(recent.history, budget, 0, true).history).toStrictEqual(fitContextBudget(all, budget).history);
    expect(recent.history.length).toBeLessThan(1_000);
    expect(eventsRead).toBeLessThanOrEqual(1_000);
  });

  it('resumes with its newest 50 turns and more_history, in a frame of tens of kilobytes', async () => {
    const client = await TestClient.connect(server.wsUrl, 'long');
    const frame = client.session;
    expect(frame).toMatchObject({ resumed: true, last_seq: longTurns * seqsPerTurn, more_history: true, turn_in_progress: false });
    expect(frame.history).toHaveLength(defaultFrameTurns * 2);
    expect(frame.history![0]).toMatchObject({ type: 'user_message', id: seededMessageId(longTurns - defaultFrameTurns) });
    expect(frame.history!.at(-1)).toMatchObject({ type: 'assistant_message', seq: longTurns * seqsPerTurn });
    expect(JSON.stringify(frame).length).toBeLessThan(50_000);
    await client.close();
  });

  it('gives every older event through the events API, going back from the first history item, with no gap and no repeat', async () => {
    const client = await TestClient.connect(server.wsUrl, 'long');
    const firstSeq = client.session.history![0]!.seq;
    await client.close();
    const older: number[] = [];
    let query = `before=${firstSeq}&limit=200`;
    for (;;) {
      const response = await server.app.inject({ method: 'GET', url: `/api/sessions/long/events?${query}` });
      expect(response.statusCode).toBe(200);
      const page = response.json<{ events: Array<{ seq: number }>; next_cursor: string | null }>();
      older.unshift(...page.events.map((event) => event.seq));
      if (page.next_cursor === null) break;
      query = `cursor=${page.next_cursor}&limit=200`;
    }
    const expected = Array.from({ length: longTurns - defaultFrameTurns }, (_, index) => [index * seqsPerTurn + 1, (index + 1) * seqsPerTurn]).flat();
    expect(older).toStrictEqual(expected);
  });

  it('refuses before and cursor together', async () => {
    const first = await server.app.inject({ method: 'GET', url: '/api/sessions/long/events?before=100&limit=2' });
    const cursor = first.json<{ next_cursor: string }>().next_cursor;
    const response = await server.app.inject({ method: 'GET', url: `/api/sessions/long/events?before=100&cursor=${cursor}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad_request' });
  });

  it('acks a resent message from its first turn as a duplicate, with its first seq, and runs nothing', async () => {
    const client = await TestClient.connect(server.wsUrl, 'long');
    const asked = requests.length;
    client.send({ type: 'message', id: seededMessageId(0), content: 'the very first question, again' });
    expect(await client.waitFor('ack')).toStrictEqual({ type: 'ack', seq: 1, id: seededMessageId(0), duplicate: true });
    client.send({ type: 'ping' });
    await client.waitFor('pong');
    expect(requests.length).toBe(asked);
    expect(client.frames.filter((frame) => frame.type === 'token')).toStrictEqual([]);
    await client.close();
  });

  it('gives the model the recent turns its context budget holds, saying older ones exist', async () => {
    const client = await TestClient.connect(server.wsUrl, 'long');
    const frames = await client.ask('and now?', { id: 'new-1' });
    expect(frames.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });
    const request = requests.at(-1)!;
    expect(request.olderOmitted).toBe(true);
    expect(request.history.at(-1)).toMatchObject({ type: 'user_message', content: 'and now?', id: 'new-1' });
    expect(request.history.at(-2)).toMatchObject({ type: 'assistant_message', seq: longTurns * seqsPerTurn });
    // The log as it was when the turn began: everything up to the new message.
    const asked = historyFromEvents(await store.loadEvents('long')).filter((item) => item.seq <= request.history.at(-1)!.seq);
    const given = (items: readonly HistoryItem[]) => items.map((item) => [item.seq, item.type, 'content' in item ? item.content : null]);
    expect(given(fitContextBudget(request.history, budget, 0, true).history)).toStrictEqual(given(fitContextBudget(asked, budget).history));
    expect(request.history.length).toBeLessThan(1_000);
    await client.close();
  });

  it('resumed with after in the middle of a turn, replays only what came after, and nothing twice', async () => {
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    const first = await TestClient.connect(server.wsUrl, 'long');
    first.send({ type: 'message', id: 'mid-1', content: 'a long answer please' });
    const secondToken = await first.waitFor('token', (frame) => frame.content === 'again ');
    const second = await TestClient.connect(server.wsUrl, 'long', { after: secondToken.seq - 1 });
    expect(second.session.turn_in_progress).toBe(true);
    expect(second.session.history!.at(-1)).toMatchObject({ type: 'assistant_message' });
    expect(second.session.history!.some((item) => item.type === 'user_message' && item.id === 'mid-1')).toBe(false);
    release();
    gate = null;
    await Promise.all([first.waitFor('done'), second.waitFor('done')]);
    const secondSeqs = seqs(second.frames);
    expect(secondSeqs[0]).toBe(secondToken.seq);
    expect(secondSeqs).toStrictEqual(seqs(first.frames).filter((seq) => seq >= secondToken.seq));
    expect(new Set(secondSeqs).size).toBe(secondSeqs.length);
    await Promise.all([first.close(), second.close()]);
  });
});

describe('a short session', () => {
  it('resumes with all its turns and no more_history', async () => {
    await seedConversation(store, 'short', 3);
    const client = await TestClient.connect(server.wsUrl, 'short');
    expect(client.session.history).toHaveLength(6);
    expect(client.session).not.toHaveProperty('more_history');
    await client.close();
  });
});

describe('a session that keeps talking', () => {
  it('forgets the turns beyond what it needs, and still knows their message ids', async () => {
    const small = await startServer({ CONTEXT_BUDGET_TOKENS: '500', FINALIZE_GRACE_MS: '60000' }, { runner: scriptedRunner(answer) });
    try {
      await seedConversation(small.app.parley.store, 'talker', defaultFrameTurns - 2);
      const client = await TestClient.connect(small.wsUrl, 'talker');
      expect(client.session).not.toHaveProperty('more_history');
      const sizes: number[] = [];
      for (let index = 0; index < 6; index += 1) {
        await client.ask(`live ${index}`, { id: `live-${index}` });
        sizes.push(userMessages(requests.at(-1)!.history));
      }
      // The frame's 50 turns, and the one being asked: never more.
      expect(sizes).toStrictEqual([49, 50, 51, 51, 51, 51]);
      expect(requests.at(-1)!.olderOmitted).toBe(true);
      const from = client.frames.length;
      client.send({ type: 'message', id: seededMessageId(0), content: 'hello again' });
      expect(await client.waitFor('ack', () => true, from)).toStrictEqual({ type: 'ack', seq: 1, id: seededMessageId(0), duplicate: true });
      await client.close();
      const again = await TestClient.connect(small.wsUrl, 'talker');
      expect(again.session).toMatchObject({ more_history: true });
      expect(userMessages(again.session.history!)).toBe(defaultFrameTurns);
      await again.close();
    } finally {
      await small.close();
    }
  });
});

function userMessages(items: readonly HistoryItem[]): number {
  return items.filter((item) => item.type === 'user_message').length;
}
