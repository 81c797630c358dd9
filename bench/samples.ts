import { percentileOfSorted } from '../src/stats/percentile.js';

/** A growing list of numbers with its percentiles; typed storage keeps a million samples cheap. */
export class Samples {
  #values = new Float64Array(1024);
  #length = 0;

  add(value: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = value;
  }

  addAll(values: readonly number[]): void {
    for (const value of values) this.add(value);
  }

  summary(): { count: number; p50: number | null; p99: number | null; max: number | null } {
    if (this.#length === 0) return { count: 0, p50: null, p99: null, max: null };
    // A typed array sorts by value.
    const sorted = this.#values.slice(0, this.#length).sort();
    return {
      count: this.#length,
      p50: round(percentileOfSorted(sorted, 0.5)),
      p99: round(percentileOfSorted(sorted, 0.99)),
      max: round(sorted[this.#length - 1]!),
    };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
