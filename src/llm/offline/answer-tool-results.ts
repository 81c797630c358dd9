import { describeRecord, findRecords, scalarResult } from './describe-tool-output.js';
import type { ToolOutcome } from './read-prompt.js';

const maxListedRecords = 5;

/** The answer after a tool step: one paragraph per result, in the order the tools were called. */
export function answerToolResults(outcomes: readonly ToolOutcome[]): string {
  if (outcomes.length === 0) return 'The tool returned nothing.';
  return outcomes.map(answerOne).join('\n\n');
}

function answerOne(outcome: ToolOutcome): string {
  switch (outcome.toolName) {
    case 'calculator':
      return answerCalculator(outcome);
    case 'fetch_data':
      return answerFetchData(outcome);
    default:
      return outcome.error === undefined
        ? `${outcome.toolName} returned: ${JSON.stringify(outcome.output ?? null)}`
        : `The ${outcome.toolName} tool failed: ${outcome.error}`;
  }
}

function answerCalculator(outcome: ToolOutcome): string {
  const expression = typeof outcome.input.expression === 'string' ? outcome.input.expression : 'the expression';
  if (outcome.error !== undefined) return `The calculator could not work out ${expression}: ${outcome.error}`;
  const value = scalarResult(outcome.output) ?? JSON.stringify(outcome.output ?? null);
  return `${expression} = ${value}.`;
}

function answerFetchData(outcome: ToolOutcome): string {
  const query = typeof outcome.input.query === 'string' && outcome.input.query.length > 0 ? outcome.input.query : undefined;
  const subject = query === undefined ? '' : ` for "${query}"`;
  if (outcome.error !== undefined) return `The data lookup${subject} failed: ${outcome.error}`;
  const output = outcome.output;
  const details = typeof output === 'object' && output !== null ? (output as Record<string, unknown>) : {};
  const sample = details.sample_data === true || outcome.input.source === 'sample' ? ' (sample data, not live figures)' : '';
  const records = findRecords(output);
  if (records === undefined) return `The data lookup${subject} returned${sample}: ${JSON.stringify(output ?? null)}`;
  if (records.length === 0) return `I found no records${subject}${sample}.`;

  const shown = records.slice(0, maxListedRecords);
  const total = typeof details.total === 'number' && details.total > records.length ? details.total : records.length;
  const lines = shown.map((record) => `- ${describeRecord(record)}`);
  const more = total > shown.length ? [`- ...and ${total - shown.length} more`] : [];
  // The tool falls back to the first records when nothing matched; they are not an answer.
  const heading =
    details.query_matched === false
      ? `No records matched "${query ?? ''}"${sample}. The source has records like these:`
      : `I found ${total === 1 ? '1 record' : `${total} records`}${subject}${sample}:`;
  return [heading, ...lines, ...more].join('\n');
}
