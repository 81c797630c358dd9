/** One record: plain JSON values, since the result goes to the model and over the wire. */
export type DataRecord = Record<string, unknown>;

export interface DataSourceRequest {
  /** Free text; a source matches its words against the records however suits it. */
  query?: string;
  id?: string;
  limit: number;
}

export interface DataSourceResult {
  records: DataRecord[];
  /** How many records matched, of which at most `limit` are returned. */
  total: number;
  /**
   * False when the query matched nothing and the records are a fallback (the first ones),
   * so the model does not present them as answers to the question.
   */
  queryMatched?: boolean;
}

/** Where fetch_data gets records. Plugins add theirs to the DataSourceRegistry. */
export interface DataSource {
  /** What the model passes as `source`: lower-case letters, digits, `_` and `-`. */
  name: string;
  description: string;
  /** True when the records are illustrative, not real: the tool labels them so the model says so. */
  sampleData?: boolean;
  fetch(request: DataSourceRequest, signal: AbortSignal): Promise<DataSourceResult>;
}
