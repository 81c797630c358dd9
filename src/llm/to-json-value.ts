import { isJSONValue, type JSONValue } from '@ai-sdk/provider';

/**
 * A tool's result as the spec's `json` tool output carries it. Results are JSON already
 * (the event log stores them as JSON) and pass as they are; anything else is sent as
 * `JSON.stringify` would write it, which throws for what JSON cannot hold (a BigInt).
 */
export function toJsonValue(value: unknown): JSONValue {
  if (value === undefined) return null;
  if (isJSONValue(value)) return value;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JSONValue);
}
