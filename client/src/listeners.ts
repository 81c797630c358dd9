/** Typed listeners by event name; a listener that throws does not stop the others. */
export class Listeners<Events> {
  readonly #byEvent = new Map<keyof Events, Set<(value: never) => void>>();

  on<E extends keyof Events>(event: E, listener: (value: Events[E]) => void): () => void {
    const set = this.#byEvent.get(event) ?? new Set();
    this.#byEvent.set(event, set);
    set.add(listener);
    return () => void set.delete(listener);
  }

  emit<E extends keyof Events>(event: E, value: Events[E]): void {
    for (const listener of this.#byEvent.get(event) ?? []) {
      try {
        (listener as (value: Events[E]) => void)(value);
      } catch (error) {
        // A listener's bug is its own: report it the way an uncaught error would be, and go on.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
