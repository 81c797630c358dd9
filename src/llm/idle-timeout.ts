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
 */
export function withIdleTimeout<T extends { type: string }>(options: {
  reader: ReadableStreamDefaultReader<T>;
  buffered: T[];
  idleTimeoutMs: number;
  abortRequest: (reason: unknown) => void;
  mapError: (error: unknown) => unknown;
}): ReadableStream<T> {
  const { reader, buffered, idleTimeoutMs, abortRequest, mapError } = options;
  return new ReadableStream<T>({
    async pull(controller) {
      const next = buffered.shift();
      if (next !== undefined) {
        controller.enqueue(mapPart(next, mapError));
        return;
      }
      try {
        const result = await readWithin(reader, idleTimeoutMs, 'idle', abortRequest);
        if (result.done) controller.close();
        else controller.enqueue(mapPart(result.value, mapError));
      } catch (error) {
        controller.error(mapError(error));
      }
    },
    async cancel(reason) {
      abortRequest(reason);
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}

function mapPart<T extends { type: string }>(part: T, mapError: (error: unknown) => unknown): T {
  return part.type === 'error' ? ({ ...part, error: mapError((part as T & { error: unknown }).error) } as T) : part;
}
