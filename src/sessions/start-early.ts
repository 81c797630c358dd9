/**
 * Runs an async generator's first step now and hands the generator over later as if it were
 * untouched: the first `next()` gets the step already under way. No extra generator layer
 * sits between the consumer and the source, since every token passes through here.
 */
export function startEarly<T>(events: AsyncGenerator<T>): AsyncGenerator<T> {
  let first: Promise<IteratorResult<T>> | null = events.next();
  // Whoever takes the generator over sees a failure on its first `next()`; nobody else must.
  first.catch(() => undefined);
  const started: AsyncGenerator<T> = {
    next: () => {
      if (first === null) return events.next();
      const step = first;
      first = null;
      return step;
    },
    return: (value) => {
      first = null;
      return events.return(value);
    },
    throw: (error: unknown) => {
      first = null;
      return events.throw(error);
    },
    [Symbol.asyncIterator]: () => started,
  };
  return started;
}
