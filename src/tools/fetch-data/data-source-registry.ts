import { ParleyError } from '../../errors/index.js';
import type { DataSource } from './data-source.js';

const validName = /^[a-z0-9_-]{1,64}$/;

/** The data sources fetch_data can read, by name. */
export class DataSourceRegistry {
  readonly #sources = new Map<string, DataSource>();

  constructor(sources: readonly DataSource[] = []) {
    for (const source of sources) this.register(source);
  }

  register(source: DataSource): this {
    if (!validName.test(source.name)) {
      throw new Error(`data source name "${source.name}" must be 1 to 64 lower-case letters, digits, "_" or "-"`);
    }
    if (this.#sources.has(source.name)) throw new Error(`data source "${source.name}" is already registered`);
    this.#sources.set(source.name, source);
    return this;
  }

  get(name: string): DataSource | undefined {
    return this.#sources.get(name.trim().toLowerCase());
  }

  /** The source by name, or a `tool_error` that lists the ones there are. */
  resolve(name: string): DataSource {
    const source = this.get(name);
    if (source) return source;
    throw new ParleyError('tool_error', `unknown data source "${name}"; available: ${this.names().join(', ') || 'none'}`);
  }

  names(): string[] {
    return [...this.#sources.keys()];
  }

  list(): DataSource[] {
    return [...this.#sources.values()];
  }
}
