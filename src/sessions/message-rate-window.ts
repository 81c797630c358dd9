import type { RateLimitVerdict } from './admission.js';

const windowMs = 60_000;

/**
 * A session's message rate as a sliding minute: the times of the messages accepted in it.
 * Pure, so admission takes its verdict as an input and a shared per-user count can replace it.
 */
export interface MessageRateWindow {
  /** Messages allowed per minute; 0: no limit. */
  readonly perMinute: number;
  /** When the messages of the last minute were accepted (ms). */
  readonly times: readonly number[];
}

export function emptyRateWindow(perMinute: number): MessageRateWindow {
  return { perMinute, times: [] };
}

/** Whether one more message may be accepted at `now`; counts nothing. */
export function rateVerdict(window: MessageRateWindow, now: number): RateLimitVerdict {
  if (window.perMinute === 0) return { allowed: true };
  const recent = window.times.filter((time) => now - time < windowMs).length;
  return recent < window.perMinute
    ? { allowed: true }
    : { allowed: false, message: `More than ${window.perMinute} messages a minute; wait a moment.` };
}

/** The window after a message accepted at `now`. */
export function recordMessage(window: MessageRateWindow, now: number): MessageRateWindow {
  if (window.perMinute === 0) return window;
  return { ...window, times: [...window.times.filter((time) => now - time < windowMs), now] };
}
