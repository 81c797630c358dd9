import { describe, expect, it } from 'vitest';
import { errorWords, signInRefusalWords } from '../../web/src/text/error-words.js';
import { errorCodes } from '../../src/errors/error-codes.js';
import { formatWait } from '../../web/src/text/format.js';

describe('errors in words', () => {
  it('say when a rate-limited user may send again', () => {
    expect(errorWords('rate_limited', 40)).toBe('You have sent too many messages; try again in 40 s.');
    expect(errorWords('rate_limited', 0.2)).toBe('You have sent too many messages; try again in 1 s.');
  });

  it('say when the day\'s model quota renews', () => {
    expect(errorWords('quota_exceeded', 3 * 3600 + 12 * 60)).toBe("Today's model quota is used up; it renews in 3 h 12 min.");
  });

  it('still say something useful when the server gives no retry_after_s', () => {
    expect(errorWords('rate_limited')).toMatch(/too many messages/i);
    expect(errorWords('quota_exceeded')).toMatch(/quota is used up/i);
  });

  it('exist for every code the server can send', () => {
    for (const code of Object.keys(errorCodes)) {
      if (code === 'forbidden_host') continue; // answered before the page loads: the page never sees it
      expect(errorWords(code), code).not.toBe(errorWords('no-such-code'));
    }
  });

  it('tell a refused sign-in apart from a server that could not be reached', () => {
    expect(signInRefusalWords({ code: 'unauthorized', message: 'The token has expired; sign in again for a new one.' })).toBe(
      'The server refused the token: The token has expired; sign in again for a new one.',
    );
    expect(signInRefusalWords({ code: 'offline', message: '' })).toMatch(/could not be reached/);
  });

  it('write waits in whole units', () => {
    expect([59, 60, 125, 3600, 3660].map(formatWait)).toStrictEqual(['59 s', '1 min', '2 min 5 s', '1 h', '1 h 1 min']);
  });
});
