import { ParleyError } from '../../errors/index.js';
import type { DataRecord } from './data-source.js';

/**
 * Drops records from the end until the result serializes within `maxBytes`, and says so
 * with `truncated: true`; the model's context and the wire frame stay bounded whatever a
 * source returns.
 */
export function fitResultSize<Result extends { records: DataRecord[] }>(
  result: Result,
  maxBytes: number,
): Result & { truncated?: true } {
  if (byteSize(result) <= maxBytes) return result;
  const records = [...result.records];
  let fitted: Result & { truncated?: true } = { ...result, records, truncated: true };
  while (records.length > 0 && byteSize(fitted) > maxBytes) {
    records.pop();
    fitted = { ...result, records, truncated: true };
  }
  return fitted;
}

function byteSize(value: unknown): number {
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new ParleyError('tool_error', 'the data source returned records that cannot be sent as JSON', { cause: error });
  }
  return Buffer.byteLength(json, 'utf8');
}
