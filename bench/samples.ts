/** A growing list of numbers with percentiles; typed storage keeps a million samples cheap. */
export class Samples {
  #values = new Float64Array(1024);
  #length = 0;

  get count(): number {
    return this.#length;
  }

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

  /** Nearest-rank percentile (0-100); null without samples. */
  percentile(rank: number): number | null {
    if (this.#length === 0) return null;
    const sorted = this.#values.slice(0, this.#length).sort();
    const index = Math.min(this.#length - 1, Math.max(0, Math.ceil((rank / 100) * this.#length) - 1));
    return sorted[index]!;
  }

  summary(): { count: number; p50: number | null; p99: number | null; max: number | null } {
    if (this.#length === 0) return { count: 0, p50: null, p99: null, max: null };
    const sorted = this.#values.slice(0, this.#length).sort();
    const at = (rank: number) => sorted[Math.min(this.#length - 1, Math.max(0, Math.ceil((rank / 100) * this.#length) - 1))]!;
    return { count: this.#length, p50: round(at(50)), p99: round(at(99)), max: round(sorted[this.#length - 1]!) };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
