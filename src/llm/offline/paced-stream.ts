export interface PacedPart<Part> {
  part: Part;
  /** Waits the delay before this part, unless it is the first paced part. */
  paced: boolean;
}

/**
 * A stream of parts with a pause between paced ones, like tokens from a remote model. An
 * abort errors the stream with the signal's reason at once (as a provider's fetch does) and
 * clears the pending timer, so nothing keeps the process alive.
 */
export function pacedStream<Part>(
  parts: ReadonlyArray<PacedPart<Part>>,
  options: { delayMs: number; signal?: AbortSignal | undefined },
): ReadableStream<Part> {
  const { delayMs, signal } = options;
  let index = 0;
  let pacedYet = false;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wakeWaiter: (() => void) | undefined;
  let streamController: ReadableStreamDefaultController<Part> | undefined;

  const finish = () => {
    finished = true;
    clearTimeout(timer);
    timer = undefined;
    signal?.removeEventListener('abort', onAbort);
  };
  function onAbort() {
    if (finished) return;
    finish();
    wakeWaiter?.();
    streamController?.error(signal?.reason);
  }
  const wait = () =>
    new Promise<void>((resolve) => {
      wakeWaiter = resolve;
      timer = setTimeout(resolve, delayMs);
    });

  return new ReadableStream<Part>(
    {
      start(controller) {
        streamController = controller;
        if (signal?.aborted) {
          finished = true;
          controller.error(signal.reason);
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        const next = parts[index];
        if (next === undefined) {
          if (!finished) {
            finish();
            controller.close();
          }
          return;
        }
        index += 1;
        if (next.paced && pacedYet && delayMs > 0) await wait();
        if (next.paced) pacedYet = true;
        if (finished) return;
        controller.enqueue(next.part);
      },
      cancel() {
        finish();
        wakeWaiter?.();
      },
    },
    // Produce on demand only, so an abort never finds parts queued ahead of the reader.
    { highWaterMark: 0 },
  );
}
