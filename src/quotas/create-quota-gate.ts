import { ParleyError } from '../errors/index.js';
import type { QuotaGate } from './quota-gate.js';
import { keptDaysMs, minuteWindow, utcDayWindow } from './quota-windows.js';
import type { UsageCounter } from './usage-counter.js';

export interface QuotaLimits {
  /** RATE_LIMIT_MESSAGES_PER_MINUTE; 0: none. */
  messagesPerMinute: number;
  /** QUOTA_TOKENS_PER_DAY; 0: none. */
  tokensPerDay: number;
}

/** The quotas of CONTRACT.md, counted in `counter` so that they hold across sessions, restarts and instances. */
export function createQuotaGate(counter: UsageCounter, limits: QuotaLimits, now: () => Date = () => new Date()): QuotaGate {
  return {
    async admitMessage(account) {
      const time = now();
      if (limits.tokensPerDay > 0) {
        const day = utcDayWindow(time);
        const spent = await counter.read({ account, kind: 'model_tokens', windowStart: day.start });
        if (spent >= limits.tokensPerDay) {
          throw new ParleyError(
            'quota_exceeded',
            `Today's ${limits.tokensPerDay} model tokens are used up; the quota renews at 00:00 UTC, in ${day.secondsLeft} s.`,
            { retryAfterSeconds: day.secondsLeft },
          );
        }
      }
      if (limits.messagesPerMinute > 0) {
        const minute = minuteWindow(time);
        const count = await counter.add({ account, kind: 'messages', windowStart: minute.start }, 1, limits.messagesPerMinute);
        if (count === null) {
          throw new ParleyError('rate_limited', `More than ${limits.messagesPerMinute} messages a minute; wait ${minute.secondsLeft} s.`, {
            retryAfterSeconds: minute.secondsLeft,
          });
        }
        // The first message of a minute clears the account's finished minutes (and old days).
        if (count === 1) {
          await counter.forget(account, 'messages', minute.start);
          await counter.forget(account, 'model_tokens', new Date(time.getTime() - keptDaysMs));
        }
      }
    },

    async chargeTokens(account, tokens) {
      if (limits.tokensPerDay === 0 || tokens <= 0) return;
      await counter.add({ account, kind: 'model_tokens', windowStart: utcDayWindow(now()).start }, Math.round(tokens));
    },
  };
}
