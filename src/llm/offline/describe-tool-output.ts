import { cutAtWord } from '../../text/cut-at-word.js';
import { isRecord } from '../is-record.js';

/**
 * Reading tool results whose exact shape belongs to the tools: a calculator may return a
 * number or `{ result }`, a data source an array or `{ records }`. These helpers find the
 * part a person cares about and say it in a line.
 */

const scalarKeys = ['result', 'value', 'answer'] as const;
const recordListKeys = ['records', 'results', 'result', 'items', 'rows', 'data'] as const;

/** The single value of a result (84, "84", `{ result: 84 }`), if it has one. */
export function scalarResult(output: unknown): string | undefined {
  if (isScalar(output)) return String(output);
  if (isRecord(output)) {
    for (const key of scalarKeys) {
      const value = output[key];
      if (isScalar(value)) return String(value);
    }
  }
  return undefined;
}

/** The list of records in a result, if it holds one. */
export function findRecords(output: unknown): unknown[] | undefined {
  if (isList(output)) return output;
  if (isRecord(output)) {
    for (const key of recordListKeys) {
      const value = output[key];
      if (isList(value)) return value;
    }
  }
  return undefined;
}

/**
 * "name: Tokyo, country: Japan, sample_weather.condition: rainy" from the record's simple
 * fields, nested ones included; the id is left out when a name says the same.
 */
export function describeRecord(record: unknown, maxFields = 6): string {
  if (!isRecord(record)) return cutAtWord(typeof record === 'string' ? record : JSON.stringify(record), 120);
  const fields = scalarFields(record)
    .filter(([key]) => !(key === 'id' && 'name' in record))
    .slice(0, maxFields)
    .map(([key, value]) => `${key}: ${String(value)}`);
  return fields.length > 0 ? fields.join(', ') : cutAtWord(JSON.stringify(record), 120);
}

function scalarFields(record: Record<string, unknown>, prefix = ''): Array<[string, string | number | boolean]> {
  return Object.entries(record).flatMap(([key, value]): Array<[string, string | number | boolean]> => {
    if (isScalar(value)) return [[`${prefix}${key}`, value]];
    return isRecord(value) && prefix === '' ? scalarFields(value, `${key}.`) : [];
  });
}

/** One line for a transcript: the value, "N records: ...", or compact JSON. */
export function describeToolOutput(output: unknown): string {
  const scalar = scalarResult(output);
  if (scalar !== undefined) return cutAtWord(scalar, 200);
  const records = findRecords(output);
  if (records) {
    const shown = records.slice(0, 3).map((record) => describeRecord(record, 3));
    const more = records.length > shown.length ? '; ...' : '';
    return `${records.length} ${records.length === 1 ? 'record' : 'records'}${shown.length > 0 ? `: ${shown.join('; ')}${more}` : ''}`;
  }
  return cutAtWord(JSON.stringify(output ?? null), 200);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Array.isArray, but its items stay unknown instead of any. */
function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}
