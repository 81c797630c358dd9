import { describe, expect, it } from 'vitest';
import { afterClose } from '../../client/src/close-decision.js';
import { reconnectDelay } from '../../client/src/reconnect-delay.js';
import { sessionUrl } from '../../client/src/session-url.js';

describe('the reconnect delay', () => {
  it('doubles from half a second up to fifteen seconds, with jitter in the upper half', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => reconnectDelay(attempt, () => 1))).toStrictEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    expect(reconnectDelay(3, () => 0)).toBe(2000);
  });

  it('stays within the chosen base and cap, even after very many attempts', () => {
    expect([0, 1, 2, 50, 10_000].map((attempt) => reconnectDelay(attempt, () => 1, 10, 100))).toStrictEqual([10, 20, 40, 100, 100]);
  });
});

describe('what the client does after the server closes the socket', () => {
  const closed = (code: number, reason = '', lastError: { code: string; message: string } | null = null, unauthorizedInARow = 0) => afterClose({ code, reason, lastError, unauthorizedInARow });

  it('reconnects after a drop, a restart, a slow-consumer cut or a bad-frame cut', () => {
    expect([closed(1006), closed(1001), closed(1012), closed(1008, 'slow_consumer'), closed(1008, 'bad_frame')].map((decision) => decision.action)).toStrictEqual(['retry', 'retry', 'retry', 'retry', 'retry']);
  });

  it('gives up on another user\'s session or a bad address, with the server\'s words', () => {
    expect(closed(1008, 'forbidden', { code: 'forbidden', message: 'This session belongs to another user.' })).toStrictEqual({ action: 'refuse', code: 'forbidden', message: 'This session belongs to another user.' });
    expect(closed(1008, 'bad_request')).toStrictEqual({ action: 'refuse', code: 'bad_request', message: '' });
  });

  it('asks for a newer token once when the token is refused, then gives up', () => {
    expect(closed(1008, 'unauthorized', null, 1).action).toBe('renew');
    expect(closed(1008, 'unauthorized', null, 2).action).toBe('refuse');
  });
});

describe('the session address', () => {
  it('carries the token as access_token and after only once something was seen', () => {
    expect(sessionUrl({ url: 'https://chat.example.com/', sessionId: 'a.b_c-1', token: 't&k', after: 41, userId: 'ada' })).toBe('wss://chat.example.com/ws/session/a.b_c-1?user_id=ada&access_token=t%26k&after=41');
    expect(sessionUrl({ url: 'ws://127.0.0.1:8000', sessionId: 's', token: null, after: -1 })).toBe('ws://127.0.0.1:8000/ws/session/s');
  });
});
