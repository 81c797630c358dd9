import { z } from 'zod';
import { ParleyError } from '../../errors/index.js';
import type { Tool } from '../tool.js';
import type { DataRecord } from './data-source.js';
import { DataSourceRegistry } from './data-source-registry.js';
import { fitResultSize } from './fit-result-size.js';
import { sampleDataSource } from './sample-data-source.js';

export const fetchDataParameters = z.object({
  source: z.string().default('sample').describe('The data source to read; "sample" is built in.'),
  query: z
    .string()
    .optional()
    .describe('Free text matched against the records, for example "Tokyo" or "cities in Japan".'),
  id: z.string().optional().describe('The id of one record, for example "new-york".'),
  limit: z.number().int().min(1).max(50).default(10).describe('At most this many records (1 to 50).'),
});

export type FetchDataParameters = z.infer<typeof fetchDataParameters>;

export interface FetchDataResult {
  source: string;
  /** True when the records are illustrative sample data, which the answer must say. */
  sample_data: boolean;
  note?: string;
  total: number;
  /** Present with a query: false when nothing matched and `records` are the first ones. */
  query_matched?: boolean;
  records: DataRecord[];
  truncated?: true;
}

/** Bounds what one call adds to the model's context and to the `tool_result` frame. */
export const maxResultBytes = 32 * 1024;

const sampleNote = 'Sample data built into Parley for demonstration, not live: populations are approximate and the weather is made up.';

const sourceResultSchema = z.object({
  records: z.array(z.record(z.string(), z.unknown())),
  total: z.number().int().min(0),
  queryMatched: z.boolean().optional(),
});

export function createFetchDataTool(
  sources: DataSourceRegistry = new DataSourceRegistry([sampleDataSource]),
): Tool<FetchDataParameters, FetchDataResult> {
  return {
    name: 'fetch_data',
    // A getter, so sources registered after the tool was made are listed too.
    get description() {
      const listed = sources.list().map((source) => `"${source.name}": ${source.description}`).join(' ');
      return `Looks up records from a data source and returns them as JSON. Sources: ${listed} ` +
        'Pass `query` with the words to look for, or `id` for one record. ' +
        'When sample_data is true, tell the user the data is sample data.';
    },
    parameters: fetchDataParameters,
    async execute({ source: sourceName, query, id, limit }, { signal }) {
      const source = sources.resolve(sourceName);
      const request = { limit, ...(query === undefined ? {} : { query }), ...(id === undefined ? {} : { id }) };
      const parsed = sourceResultSchema.safeParse(await source.fetch(request, signal));
      if (!parsed.success) throw new ParleyError('tool_error', `data source "${source.name}" returned a malformed result`);
      const { records, total, queryMatched } = parsed.data;
      const sampleData = source.sampleData === true;
      const result: FetchDataResult = {
        source: source.name,
        sample_data: sampleData,
        ...(sampleData ? { note: sampleNote } : {}),
        total,
        ...(query === undefined || id !== undefined ? {} : { query_matched: queryMatched ?? true }),
        records: records.slice(0, limit),
      };
      return fitResultSize(result, maxResultBytes);
    },
  };
}
