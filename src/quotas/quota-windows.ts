const minuteMs = 60_000;
const dayMs = 86_400_000;

/** The fixed window `time` falls in, and whole seconds (at least 1) until the next one. */
export interface QuotaWindow {
  start: Date;
  secondsLeft: number;
}

function windowOf(time: Date, lengthMs: number): QuotaWindow {
  const start = Math.floor(time.getTime() / lengthMs) * lengthMs;
  return { start: new Date(start), secondsLeft: Math.max(1, Math.ceil((start + lengthMs - time.getTime()) / 1000)) };
}

/** The clock minute: messages are counted per minute (a burst across its edge can reach twice the rate). */
export const minuteWindow = (time: Date) => windowOf(time, minuteMs);

/** The UTC day: model tokens are counted per day, renewed at 00:00 UTC. */
export const utcDayWindow = (time: Date) => windowOf(time, dayMs);

/** How long counters are kept: messages until their minute is over, token days for a month (for a look back). */
export const keptDays = 35;
export const keptDaysMs = keptDays * dayMs;
