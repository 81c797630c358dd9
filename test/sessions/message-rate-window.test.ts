import { describe, expect, it } from 'vitest';
import { emptyRateWindow, rateVerdict, recordMessage } from '../../src/sessions/message-rate-window.js';

describe('a session message rate window', () => {
  it('allows the limit within a sliding minute and refuses the next, saying the limit', () => {
    let window = emptyRateWindow(2);
    window = recordMessage(window, 0);
    window = recordMessage(window, 30_000);
    expect(rateVerdict(window, 59_999)).toStrictEqual({ allowed: false, message: 'More than 2 messages a minute; wait a moment.' });
    expect(rateVerdict(window, 60_000)).toStrictEqual({ allowed: true });
  });

  it('counts only what was recorded: asking does not use up the limit', () => {
    const window = recordMessage(emptyRateWindow(2), 0);
    expect(rateVerdict(window, 1)).toStrictEqual({ allowed: true });
    expect(rateVerdict(window, 2)).toStrictEqual({ allowed: true });
    expect(rateVerdict(recordMessage(window, 3), 4)).toMatchObject({ allowed: false });
  });

  it('keeps only the last minute of times, however many messages came', () => {
    let window = emptyRateWindow(1000);
    for (let minute = 0; minute < 10; minute += 1) {
      for (let index = 0; index < 100; index += 1) window = recordMessage(window, minute * 60_000 + index);
    }
    expect(window.times).toHaveLength(100);
  });

  it('never limits with 0', () => {
    let window = emptyRateWindow(0);
    for (let index = 0; index < 1000; index += 1) window = recordMessage(window, index);
    expect(rateVerdict(window, 1000)).toStrictEqual({ allowed: true });
    expect(window.times).toStrictEqual([]);
  });
});
