import { describe, expect, it } from 'vitest';
import { matchRecords, queryWords } from '../../../src/tools/fetch-data/match-records.js';

const records = [
  { id: 'tokyo', name: 'Tokyo', country: 'Japan', timezone: 'Asia/Tokyo', sample_weather: { condition: 'sunny' } },
  { id: 'osaka', name: 'Osaka', country: 'Japan', timezone: 'Asia/Tokyo', sample_weather: { condition: 'rainy' } },
  { id: 'paris', name: 'Paris', country: 'France', timezone: 'Europe/Paris', population: 2_100_000 },
];
const ids = (query: string) => matchRecords(records, query).map((record) => record.id);

describe('matchRecords', () => {
  it('drops the words that say what is wanted rather than which record', () => {
    expect(queryWords('What is the weather in Paris, please?')).toStrictEqual(['paris']);
    expect(queryWords('show me data about cities')).toStrictEqual([]);
  });

  it('prefers a record named by the query over one that only mentions it', () => {
    expect(ids('tokyo')).toStrictEqual(['tokyo']);
  });

  it('matches nested string fields, prefixes of four letters or more, and ignores case and accents', () => {
    expect(ids('RAIN')).toStrictEqual(['osaka']);
    expect(ids('Pâris')).toStrictEqual(['paris']);
    expect(ids('europe')).toStrictEqual(['paris']);
  });

  it('does not match short fragments or numbers', () => {
    expect(ids('pa')).toStrictEqual([]);
    expect(ids('2100000')).toStrictEqual([]);
  });
});
