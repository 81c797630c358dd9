import { ModelTimeoutError } from './map-provider-error.js';

/**
 * Reads the next part, or fails with ModelTimeoutError when the provider sends nothing for
 * `timeoutMs`; `onTimeout` then aborts the HTTP request so the connection is not left open.
 * The clock runs only while we wait on the provider, so a slow consumer never trips it.
 */
export async function readWithin<T>(
  reader: ReadableStreamDefaultReader<T>,
  timeoutMs: number,
  phase: ModelTimeoutError['phase'],
  onTimeout: (error: ModelTimeoutError) => void,
): Promise<Awaited<ReturnType<ReadableStreamDefaultReader<T>['read']>>> {
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
 * One watchdog timer per stream, re-armed only when it fires, instead of a timer and a race
 * per part: this sits on the token path. The clock runs only while a read is waiting.
 */
export function withIdleTimeout<T extends { type: string }>(options: {
  reader: ReadableStreamDefaultReader<T>;
  buffered: T[];
  idleTimeoutMs: number;
  abortRequest: (reason: unknown) => void;
  mapError: (error: unknown) => unknown;
}): ReadableStream<T> {
  const { reader, buffered, idleTimeoutMs, abortRequest, mapError } = options;
  let waitingSince: number | null = null;
  let timedOut: ModelTimeoutError | null = null;
  let watchdog: NodeJS.Timeout | null = null;

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

  return new ReadableStream<T>({
    async pull(controller) {
      const next = buffered.shift();
      if (next !== undefined) {
        controller.enqueue(mapPart(next, mapError));
        return;
      }
      if (watchdog === null && timedOut === null) watch(idleTimeoutMs);
      waitingSince = performance.now();
      try {
        const result = await reader.read();
        waitingSince = null;
        if (timedOut) throw timedOut;
        if (result.done) {
          stopWatching();
          controller.close();
        } else controller.enqueue(mapPart(result.value, mapError));
      } catch (error) {
        stopWatching();
        controller.error(mapError(timedOut ?? error));
      }
    },
    async cancel(reason) {
      stopWatching();
      abortRequest(reason);
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}

function mapPart<T extends { type: string }>(part: T, mapError: (error: unknown) => unknown): T {
  return part.type === 'error' ? ({ ...part, error: mapError((part as T & { error: unknown }).error) } as T) : part;
}
