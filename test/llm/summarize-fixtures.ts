import type { HistoryItem } from '../../src/protocol/index.js';

const at = '2025-01-01T00:00:00.000Z';

/** Two turns as the event log rebuilds them: a calculation, then a data lookup cut short. */
export const twoTurnHistory: HistoryItem[] = [
  { type: 'user_message', content: 'what is 12*(3+4)?', seq: 1, created_at: at },
  { type: 'tool_call', call_id: 'c1', name: 'calculator', arguments: { expression: '12*(3+4)' }, seq: 2, created_at: at },
  { type: 'tool_result', call_id: 'c1', name: 'calculator', result: { expression: '12*(3+4)', result: 84 }, seq: 3, created_at: at },
  {
    type: 'assistant_message',
    content: "12*(3+4) = 84.\n\nI'm Parley's offline model: I run inside the server and need no network.",
    status: 'complete',
    seq: 4,
    created_at: at,
  },
  { type: 'user_message', content: 'fetch data about Japan', seq: 5, created_at: at },
  { type: 'tool_call', call_id: 'c2', name: 'fetch_data', arguments: { source: 'sample', query: 'Japan' }, seq: 6, created_at: at },
  {
    type: 'tool_result',
    call_id: 'c2',
    name: 'fetch_data',
    result: { records: [{ city: 'Tokyo', country: 'Japan' }, { city: 'Osaka', country: 'Japan' }] },
    seq: 7,
    created_at: at,
  },
  {
    type: 'assistant_message',
    content: 'I found 2 records for "Japan" (sample data, not live figures):\n- city: Tokyo',
    status: 'cancelled',
    seq: 8,
    created_at: at,
  },
];

export const twoTurnSummary =
  'The user asked: "what is 12*(3+4)?", then "fetch data about Japan". ' +
  'Tools: calculator(12*(3+4)) returned 84; fetch_data(Japan) returned 2 records. ' +
  "The last answer (cancelled) was: \"I found 2 records for 'Japan' (sample data, not live figures): - city: Tokyo\".";
