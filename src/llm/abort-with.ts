/**
 * Makes `controller` abort when `signal` does, with `signal`'s reason, until the returned
 * function is called. A model request needs its own controller (its timeouts abort it alone)
 * that also follows the turn's cancel; `AbortSignal.any` does that at 20-30 µs of CPU per
 * call on Node 20 (a listener: about 5) and keeps a weak reference per signal for the
 * garbage collector to process, once per model request.
 */
export function abortWith(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => undefined;
  }
  const follow = () => controller.abort(signal.reason);
  signal.addEventListener('abort', follow, { once: true });
  return () => signal.removeEventListener('abort', follow);
}
