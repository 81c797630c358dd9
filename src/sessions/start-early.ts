/**
 * A model turn started before its user message is stored: the request goes out at once, and
 * the events wait until the caller takes them. A turn's first token then costs the longer of
 * the write and the model's first token, not their sum (docs/architecture.md, "The first
 * token"). Until `take`, nothing of the answer reaches anyone; `drop` ends it unheard.
 */
export interface EarlyTurn<T> {
  /** The events, the first one possibly already waiting; called once. `onModel` hears the model answering, also one named before. */
  take(signal: AbortSignal, onModel: (modelId: string) => void): AsyncGenerator<T, void>;
  /** The message was not stored: the request is cancelled and its events discarded. */
  drop(reason: unknown): void;
}

export function startEarly<T>(start: (signal: AbortSignal, onModel: (modelId: string) => void) => AsyncGenerator<T, unknown, unknown>): EarlyTurn<T> {
  const controller = new AbortController();
  let model: string | null = null;
  let hearModel: ((modelId: string) => void) | null = null;
  const source = start(controller.signal, (modelId) => {
    model = modelId;
    hearModel?.(modelId);
  });
  const first = source.next();
  // Seen by take()'s reader; a turn dropped before it is read must not make it unhandled.
  first.catch(() => undefined);

  async function* replay(): AsyncGenerator<T, void> {
    const head = await first;
    if (head.done) return;
    yield head.value;
    yield* source;
  }

  return {
    take(signal, onModel) {
      if (model !== null) onModel(model);
      hearModel = onModel;
      if (signal.aborted) controller.abort(signal.reason);
      else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
      return replay();
    },
    drop(reason) {
      controller.abort(reason);
      void first.finally(() => source.return(undefined)).catch(() => undefined);
    },
  };
}
