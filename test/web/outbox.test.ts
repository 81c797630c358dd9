import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../src/protocol/index.js';
import { mayGoNow, mustWait, nextToSend, type Outbox } from '../../web/src/connection/outbox.js';
import { chatReducer, type ChatAction } from '../../web/src/state/chat-reducer.js';
import { initialChatState, type ChatState } from '../../web/src/state/chat-state.js';

const model = { provider: 'offline', model: 'parley-offline' };
const session: ServerFrame = { type: 'session', session_id: 's1', resumed: false, last_seq: 0, model, turn_in_progress: false };

function run(actions: ChatAction[], state: ChatState = initialChatState('s1')): ChatState {
  return actions.reduce(chatReducer, state);
}

const first = { id: 'm1', content: 'first', attachments: [] };
const second = { id: 'm2', content: 'second', attachments: [] };

describe('the outbox of messages written while they could not go', () => {
  it('lets a message go at once only on a live connection with nothing running or awaiting its ack', () => {
    const live = run([{ type: 'frame', frame: session }]);
    expect(mayGoNow(live)).toBe(true);
    expect(mayGoNow({ ...live, connection: 'reconnecting' })).toBe(false);
    expect(mayGoNow({ ...live, connection: 'offline' })).toBe(false);
    expect(mayGoNow({ ...live, turnInProgress: true })).toBe(false);
    expect(mayGoNow(run([{ type: 'send', id: 'm0', content: 'sent' }], live))).toBe(false);
  });

  it('keeps a new message behind the ones already waiting, even once the connection is back', () => {
    const live = run([{ type: 'frame', frame: session }]);
    expect(mustWait([], live)).toBe(false);
    expect(mustWait([first], live)).toBe(true);
    expect(mustWait([], { ...live, connection: 'reconnecting' })).toBe(true);
  });

  it('sends nothing while disconnected, then one message at a time in the order written', () => {
    const outbox: Outbox = [first, second];
    const down = run([{ type: 'connection', status: 'reconnecting' }, { type: 'send', id: 'm1', content: 'first', queued: true }, { type: 'send', id: 'm2', content: 'second', queued: true }]);
    expect(nextToSend(outbox, down)).toStrictEqual({ next: null, rest: outbox });

    let state = run([{ type: 'frame', frame: session }], down);
    const { next, rest } = nextToSend(outbox, state);
    expect(next).toStrictEqual(first);
    expect(rest).toStrictEqual([second]);
    state = run([{ type: 'dequeue', id: 'm1' }], state);
    // The first now awaits its ack, then runs: the second waits for its end.
    expect(nextToSend(rest, state).next).toBeNull();
    state = run([{ type: 'frame', frame: { type: 'ack', seq: 1, id: 'm1', content: 'first' } }], state);
    expect(nextToSend(rest, state).next).toBeNull();
    state = run([{ type: 'frame', frame: { type: 'done', seq: 2, finish_reason: 'stop' } }], state);
    expect(nextToSend(rest, state)).toStrictEqual({ next: second, rest: [] });
  });

  it('shows a queued message as waiting, and keeps it through a reconnect', () => {
    let state = run([{ type: 'connection', status: 'reconnecting' }, { type: 'send', id: 'm1', content: 'first', queued: true }]);
    expect(state.turns.map((turn) => turn.user?.state)).toStrictEqual(['queued']);
    state = run([{ type: 'frame', frame: session }], state);
    expect(state.turns.map((turn) => turn.user?.state)).toStrictEqual(['queued']);
    state = run([{ type: 'dequeue', id: 'm1' }], state);
    expect(state.turns.map((turn) => turn.user?.state)).toStrictEqual(['pending']);
  });

  it('remembers when the next reconnect is planned, and forgets it once live', () => {
    let state = run([{ type: 'connection', status: 'reconnecting' }, { type: 'retry-planned', at: 1234 }]);
    expect(state.reconnectAt).toBe(1234);
    state = run([{ type: 'connection', status: 'live' }], state);
    expect(state.reconnectAt).toBeNull();
  });
});
