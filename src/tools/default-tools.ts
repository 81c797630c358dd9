import { calculatorTool } from './calculator/calculator-tool.js';
import type { DataSource } from './fetch-data/data-source.js';
import { DataSourceRegistry } from './fetch-data/data-source-registry.js';
import { createFetchDataTool } from './fetch-data/fetch-data-tool.js';
import { sampleDataSource } from './fetch-data/sample-data-source.js';
import type { WarningLogger } from '../logging/logger.js';
import { ToolRegistry } from './tool-registry.js';

export { calculatorTool } from './calculator/calculator-tool.js';
export { createFetchDataTool } from './fetch-data/fetch-data-tool.js';
export { DataSourceRegistry } from './fetch-data/data-source-registry.js';
export { createInMemoryDataSource } from './fetch-data/in-memory-data-source.js';
export { sampleDataSource } from './fetch-data/sample-data-source.js';
export type { DataSource, DataRecord } from './fetch-data/data-source.js';

export interface DefaultToolOptions {
  /** Hears about tools that crash or overrun. */
  logger: WarningLogger;
  defaultTimeoutMs?: number;
  /** The operator's allow and deny lists, for these tools and any added later. */
  isAllowed?: (name: string) => boolean;
  /**
   * Sources for fetch_data besides the built-in `sample`; one named "sample" replaces it,
   * so real data can stand where the model looks by default.
   */
  dataSources?: readonly DataSource[];
}

/** The registry with Parley's built-in tools: calculator and fetch_data. */
export function createDefaultToolRegistry(options: DefaultToolOptions): ToolRegistry {
  const extraSources = options.dataSources ?? [];
  const replacesSample = extraSources.some((source) => source.name === sampleDataSource.name);
  const sources = new DataSourceRegistry(replacesSample ? extraSources : [sampleDataSource, ...extraSources]);
  return new ToolRegistry({
    logger: options.logger,
    ...(options.defaultTimeoutMs === undefined ? {} : { defaultTimeoutMs: options.defaultTimeoutMs }),
    ...(options.isAllowed === undefined ? {} : { isAllowed: options.isAllowed }),
  })
    .register(calculatorTool)
    .register(createFetchDataTool(sources));
}
