import type { DataRecord, DataSource, DataSourceRequest, DataSourceResult } from './data-source.js';
import { matchRecords } from './match-records.js';

/** Records held in memory, searched by id or by the words of a query. */
export function createInMemoryDataSource(options: {
  name: string;
  description: string;
  records: readonly DataRecord[];
  sampleData?: boolean;
}): DataSource {
  const { records } = options;
  return {
    name: options.name,
    description: options.description,
    sampleData: options.sampleData ?? false,
    fetch: (request) => Promise.resolve(find(records, request)),
  };
}

function find(records: readonly DataRecord[], { query, id, limit }: DataSourceRequest): DataSourceResult {
  // Copies, so a caller that edits a result cannot change the source.
  const page = (found: readonly DataRecord[]) => structuredClone(found.slice(0, limit));
  if (id !== undefined) {
    const wanted = id.trim().toLowerCase();
    const found = records.filter((record) => String(record.id).toLowerCase() === wanted);
    return { records: page(found), total: found.length };
  }
  if (query !== undefined && query.trim() !== '') {
    const found = matchRecords(records, query);
    if (found.length > 0) return { records: page(found), total: found.length, queryMatched: true };
    return { records: page(records), total: records.length, queryMatched: false };
  }
  return { records: page(records), total: records.length };
}
