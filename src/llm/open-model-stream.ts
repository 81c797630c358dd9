import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { abortWith } from './abort-with.js';
import { readWithin, withIdleTimeout } from './idle-timeout.js';
import { answerBrokeOff, ModelTimeoutError, type ProviderLabel } from './map-provider-error.js';
import { openStep, type StepModel, type StepReader } from './model-step.js';

export interface StreamTimeouts {
  /** From the request to the first content part (LLM_FIRST_TOKEN_TIMEOUT_MS). */
  firstTokenTimeoutMs: number;
  /** Between parts once the answer has started (LLM_IDLE_TIMEOUT_MS). */
  idleTimeoutMs: number;
}

/** Parts that are the answer itself: once one arrived, a failure is no longer retried. */
const contentParts = new Set<LanguageModelV3StreamPart['type']>([
  'text-delta',
  'reasoning-delta',
  'tool-input-start',
  'tool-call',
  'tool-result',
  'file',
  'source',
  'finish',
]);

/**
 * Starts one model step and reads it up to its first content part. Everything that goes
 * wrong until then (HTTP errors, an `error` part, no answer in time) is thrown, so the
 * caller may retry or fall back without anything having reached the user. What follows is
 * returned as a reader guarded by the idle timeout, whose failures are final.
 */
export async function openModelStream(
  model: LanguageModelV3 & Partial<StepModel>,
  label: ProviderLabel,
  options: LanguageModelV3CallOptions,
  timeouts: StreamTimeouts,
): Promise<StepReader> {
  const request = new AbortController();
  const callerSignal = options.abortSignal;
  const stopFollowing = abortWith(callerSignal, request);
  const abortRequest = (reason: unknown) => request.abort(reason);

  const deadline = setTimeout(() => request.abort(new Error('first token timeout')), timeouts.firstTokenTimeoutMs);
  const startedAt = performance.now();
  let reader: StepReader;
  try {
    reader = await openStep(model, { ...options, abortSignal: request.signal });
  } catch (error) {
    stopFollowing();
    throw request.signal.aborted && !callerSignal?.aborted ? firstTokenTimeout(timeouts) : error;
  } finally {
    clearTimeout(deadline);
  }

  const buffered: LanguageModelV3StreamPart[] = [];
  try {
    for (;;) {
      const remaining = Math.max(1, timeouts.firstTokenTimeoutMs - (performance.now() - startedAt));
      const next = await readWithin(reader, remaining, 'first-token', abortRequest);
      if (next.done) break;
      if (next.value.type === 'error') throw next.value.error;
      buffered.push(next.value);
      if (isContent(next.value)) break;
    }
  } catch (error) {
    stopFollowing();
    abortRequest(error);
    // Not awaited: cancelling a body whose request was just aborted may never settle.
    void reader.cancel().catch(() => undefined);
    // The last read waited only what was left of the limit; report the limit itself.
    throw error instanceof ModelTimeoutError ? firstTokenTimeout(timeouts) : error;
  }

  return withIdleTimeout({
    reader,
    buffered,
    idleTimeoutMs: timeouts.idleTimeoutMs,
    abortRequest,
    onSettled: stopFollowing,
    mapError: (error) => (callerSignal?.aborted ? error : answerBrokeOff(error, label)),
  });
}

/** The request itself (headers) did not come back in time: the same failure as a silent stream. */
function firstTokenTimeout(timeouts: StreamTimeouts): ModelTimeoutError {
  return new ModelTimeoutError('first-token', timeouts.firstTokenTimeoutMs);
}

/** Some servers open with an empty delta (OpenAI's `{role:'assistant', content:''}`): not yet an answer. */
function isContent(part: LanguageModelV3StreamPart): boolean {
  if (part.type === 'text-delta' || part.type === 'reasoning-delta') return part.delta.length > 0;
  return contentParts.has(part.type);
}
