import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { ModelTimeoutError } from './map-provider-error.js';
import type { ReadResult, StepReader } from './model-step.js';

/**
 * Reads the next part, or fails with ModelTimeoutError when the provider sends nothing for
 * `timeoutMs`; `onTimeout` then aborts the HTTP request so the connection is not left open.
 * The clock runs only while we wait on the provider, so a slow consumer never trips it.
 */
export async function readWithin(
  reader: StepReader,
  timeoutMs: number,
  phase: ModelTimeoutError['phase'],
  onTimeout: (error: ModelTimeoutError) => void,
): Promise<ReadResult<LanguageModelV3StreamPart>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ModelTimeoutError(phase, timeoutMs);
      onTimeout(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([reader.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The rest of a provider stream with an idle timeout between parts. Parts already read
 * (`buffered`) come first. Errors, thrown or sent as `error` parts, go through `mapError`
 * so the turn reports them as ParleyErrors.
 *
 * A reader, not a new ReadableStream: this sits on the token path, where a Web Stream stage
 * costs more than everything else done here. One watchdog timer per stream, re-armed only
 * when it fires, instead of a timer and a race per part. The clock runs only while a read
 * is waiting, so a slow consumer never trips it.
 */
export function withIdleTimeout(options: {
  reader: StepReader;
  buffered: LanguageModelV3StreamPart[];
  idleTimeoutMs: number;
  abortRequest: (reason: unknown) => void;
  /** Called once the stream has ended, failed or been cancelled. */
  onSettled?: () => void;
  mapError: (error: unknown) => unknown;
}): StepReader {
  const { reader, buffered, idleTimeoutMs, abortRequest, onSettled, mapError } = options;
  let waitingSince: number | null = null;
  let timedOut: ModelTimeoutError | null = null;
  let watchdog: NodeJS.Timeout | null = null;
  let cancelled = false;
  /** The provider's stream reached its end: its request is over, there is nothing to abort. */
  let ended = false;

  const watch = (delayMs: number) => {
    watchdog = setTimeout(() => {
      watchdog = null;
      if (waitingSince === null) return watch(idleTimeoutMs);
      const waited = performance.now() - waitingSince;
      if (waited < idleTimeoutMs) return watch(idleTimeoutMs - waited);
      timedOut = new ModelTimeoutError('idle', idleTimeoutMs);
      // Aborting the request makes the pending read fail; it then reports `timedOut`.
      abortRequest(timedOut);
      void reader.cancel(timedOut).catch(() => undefined);
    }, delayMs);
  };
  const stopWatching = () => {
    if (watchdog) clearTimeout(watchdog);
    watchdog = null;
  };
  let settled = false;
  const settle = () => {
    stopWatching();
    if (settled) return;
    settled = true;
    onSettled?.();
  };

  return {
    async read() {
      if (cancelled) return { done: true };
      const next = buffered.shift();
      if (next !== undefined) return { done: false, value: mapPart(next, mapError) };
      if (timedOut) throw mapError(timedOut);
      if (watchdog === null) watch(idleTimeoutMs);
      waitingSince = performance.now();
      let result: ReadResult<LanguageModelV3StreamPart>;
      try {
        result = await reader.read();
      } catch (error) {
        settle();
        throw mapError(timedOut ?? error);
      } finally {
        waitingSince = null;
      }
      if (timedOut) throw mapError(timedOut);
      if (result.done) {
        ended = true;
        settle();
        return result;
      }
      return { done: false, value: mapPart(result.value, mapError) };
    },
    async cancel(reason) {
      cancelled = true;
      buffered.length = 0;
      settle();
      // The turn loop cancels every reader it leaves, finished or not. Aborting a finished
      // request dispatched an abort event through three signals and built a DOMException:
      // 85 µs of CPU per turn, 5% of a benchmark of one-token answers.
      if (ended) return;
      abortRequest(reason);
      await reader.cancel(reason).catch(() => undefined);
    },
  };
}

function mapPart(part: LanguageModelV3StreamPart, mapError: (error: unknown) => unknown): LanguageModelV3StreamPart {
  return part.type === 'error' ? { ...part, error: mapError(part.error) } : part;
}
