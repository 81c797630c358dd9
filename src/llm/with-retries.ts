import { ParleyError } from '../errors/index.js';
import type { ProviderFailure } from './map-provider-error.js';

export interface RetryPolicy {
  /** Attempts after the first (LLM_MAX_RETRIES). */
  maxRetries: number;
  /** First backoff delay; doubles per attempt, with jitter. */
  baseDelayMs: number;
  /** A Retry-After longer than this is not waited for: the failure is reported at once. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: Omit<RetryPolicy, 'maxRetries'> = { baseDelayMs: 250, maxDelayMs: 10_000 };

/**
 * Runs `attempt` until it succeeds, retrying failures `classify` calls retryable, at most
 * `maxRetries` times, waiting the provider's Retry-After when it gave one (bounded) or an
 * exponential backoff. Used only before any output was delivered, so a retry never replays
 * text. A cancel (the signal) stops the loop at once and rethrows the abort as it came.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: { policy: RetryPolicy; signal: AbortSignal | undefined; classify: (error: unknown) => ProviderFailure },
): Promise<T> {
  const { policy, signal, classify } = options;
  for (let attemptNumber = 0; ; attemptNumber += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = classify(error);
      if (!failure.retryable) throw failure.error;
      if (attemptNumber >= policy.maxRetries) throw exhausted(failure, attemptNumber);
      const delay = retryDelayMs(failure, attemptNumber, policy);
      if (delay === undefined) throw tooLongToWait(failure);
      await sleep(delay, signal);
      if (signal?.aborted) throw error;
    }
  }
}

/** The provider's Retry-After when within bounds, else backoff; undefined: not worth waiting. */
export function retryDelayMs(failure: ProviderFailure, attemptNumber: number, policy: Omit<RetryPolicy, 'maxRetries'>): number | undefined {
  if (failure.retryAfterMs !== undefined) return failure.retryAfterMs <= policy.maxDelayMs ? failure.retryAfterMs : undefined;
  const backoff = policy.baseDelayMs * 2 ** attemptNumber;
  return Math.min(policy.maxDelayMs, backoff * (0.8 + Math.random() * 0.4));
}

function exhausted(failure: ProviderFailure, retries: number): ParleyError {
  if (retries === 0) return failure.error;
  const { error } = failure;
  return new ParleyError(error.code, `${error.message} (still failing after ${retries} ${retries === 1 ? 'retry' : 'retries'})`, { cause: error.cause });
}

function tooLongToWait(failure: ProviderFailure): ParleyError {
  const { error } = failure;
  const seconds = Math.ceil((failure.retryAfterMs ?? 0) / 1000);
  return new ParleyError(error.code, `${error.message} The provider asks to wait ${seconds} s before the next request.`, { cause: error.cause });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
