import { describe, expect, it } from 'vitest';
import { extractDataQuery, isDataRequest } from '../../../src/llm/offline/extract-data-query.js';

describe('data requests', () => {
  it.each([
    ['fetch data about Tokyo', 'Tokyo'],
    ['look up the weather in Paris', 'Paris'],
    ['show me records for Japan', 'Japan'],
    ["what's the population of New York?", 'New York'],
    ['what is 12*(3+4)? and look up the weather in Paris', 'Paris'],
    ['lookup Berlin', 'Berlin'],
  ])('takes the subject of %j', (message, query) => {
    expect(isDataRequest(message)).toBe(true);
    expect(extractDataQuery(message)).toBe(query);
  });

  it.each(['what is 2+2?', 'hello', 'who are you?', 'what did we talk about?'])('does not take %j for a data request', (message) => {
    expect(isDataRequest(message)).toBe(false);
  });
});
