import { describe, expect, it } from 'vitest';
import type { DataSource } from '../../../src/tools/fetch-data/data-source.js';
import { DataSourceRegistry } from '../../../src/tools/fetch-data/data-source-registry.js';
import { createFetchDataTool, maxResultBytes, type FetchDataResult } from '../../../src/tools/fetch-data/fetch-data-tool.js';
import { createInMemoryDataSource } from '../../../src/tools/fetch-data/in-memory-data-source.js';
import { sampleDataSource } from '../../../src/tools/fetch-data/sample-data-source.js';
import { ToolRegistry } from '../../../src/tools/tool-registry.js';
import { RecordingLogger } from '../../fakes/recording-logger.js';

function registryWith(...extraSources: DataSource[]) {
  return new ToolRegistry({ logger: new RecordingLogger() }).register(createFetchDataTool(new DataSourceRegistry([sampleDataSource, ...extraSources])));
}

const fetchData = async (input: unknown, registry = registryWith()) =>
  (await registry.run('fetch_data', input, new AbortController().signal)) as FetchDataResult;

const names = (result: FetchDataResult) => result.records.map((record) => record.name);

describe('fetch_data', () => {
  it('finds a city by name and labels the records as sample data', async () => {
    expect(await fetchData({ query: 'Tokyo' })).toStrictEqual({
      source: 'sample',
      sample_data: true,
      note: 'Sample data built into Parley for demonstration, not live: populations are approximate and the weather is made up.',
      total: 1,
      query_matched: true,
      records: [
        {
          id: 'tokyo',
          name: 'Tokyo',
          country: 'Japan',
          population: 14_000_000,
          timezone: 'Asia/Tokyo',
          sample_weather: { condition: 'partly cloudy', temperature_c: 18 },
        },
      ],
    });
  });

  it.each([
    ['weather in Paris', ['Paris']],
    ['fetch data about Tokyo', ['Tokyo']],
    ['cities in Japan', ['Tokyo', 'Osaka']],
    ['show me the population of New York', ['New York']],
    ['sao paulo', ['São Paulo']],
    ['what is the weather like in london and paris?', ['London', 'Paris']],
    ['Japanese cities', ['Tokyo', 'Osaka']],
  ])('answers the query %j with %j', async (query, expected) => {
    expect(names(await fetchData({ query }))).toStrictEqual(expected);
  });

  it('returns the first records, saying the query matched nothing, when no word matches', async () => {
    const result = await fetchData({ query: 'what is the weather in Atlantis', limit: 3 });
    expect({ total: result.total, query_matched: result.query_matched, names: names(result) }).toStrictEqual({
      total: 25,
      query_matched: false,
      names: ['Tokyo', 'Osaka', 'Delhi'],
    });
  });

  it('returns every record, up to the limit, without a query', async () => {
    const result = await fetchData({});
    expect({ total: result.total, count: result.records.length }).toStrictEqual({ total: 25, count: 10 });
    expect((await fetchData({ limit: 50 })).records).toHaveLength(25);
  });

  it('looks a record up by id, and finds none for an unknown id', async () => {
    expect(names(await fetchData({ id: 'new-york' }))).toStrictEqual(['New York']);
    expect(names(await fetchData({ id: ' New-York ' }))).toStrictEqual(['New York']);
    const missing = await fetchData({ id: 'atlantis' });
    expect({ total: missing.total, records: missing.records }).toStrictEqual({ total: 0, records: [] });
  });

  it.each([
    [0, 'Too small: expected number to be >=1'],
    [51, 'Too big: expected number to be <=50'],
    [2.5, 'Invalid input: expected int, received number'],
    ['5', 'Invalid input: expected number, received string'],
  ])('refuses the limit %j, outside 1 to 50 or not whole: %s', async (limit, problem) => {
    await expect(fetchData({ limit })).rejects.toMatchObject({ code: 'tool_error', message: `invalid arguments for fetch_data: limit: ${problem}` });
  });

  it('names the sources there are when asked for an unknown one', async () => {
    await expect(fetchData({ source: 'x' })).rejects.toMatchObject({
      code: 'tool_error',
      message: 'unknown data source "x"; available: sample',
    });
  });

  it('reads a data source a plugin registers, with its signal, and does not call it sample data', async () => {
    const seen: Array<{ request: unknown; signal: AbortSignal }> = [];
    const inventory: DataSource = {
      name: 'inventory',
      description: 'Items in stock.',
      fetch(request, signal) {
        seen.push({ request, signal });
        return Promise.resolve({ records: [{ id: 'a1', item: 'anvil' }], total: 1 });
      },
    };
    const registry = registryWith(inventory);
    expect(await fetchData({ source: 'Inventory', query: 'anvil', limit: 5 }, registry)).toStrictEqual({
      source: 'inventory',
      sample_data: false,
      total: 1,
      query_matched: true,
      records: [{ id: 'a1', item: 'anvil' }],
    });
    expect(seen[0]?.request).toStrictEqual({ query: 'anvil', limit: 5 });
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(registry.get('fetch_data')?.description).toContain('"inventory": Items in stock.');
  });

  it('keeps no more records than the limit when a source returns more', async () => {
    const greedy = createInMemoryDataSource({
      name: 'greedy',
      description: 'ignores limits',
      records: Array.from({ length: 30 }, (_, index) => ({ id: String(index) })),
    });
    const careless: DataSource = { ...greedy, fetch: (request, signal) => greedy.fetch({ ...request, limit: 50 }, signal) };
    expect((await fetchData({ source: 'greedy', limit: 4 }, registryWith(careless))).records).toHaveLength(4);
  });

  it('cuts records that would make the result larger than 32 KB, and says so', async () => {
    const bulky = createInMemoryDataSource({
      name: 'bulky',
      description: 'large records',
      records: Array.from({ length: 20 }, (_, index) => ({ id: String(index), text: 'x'.repeat(5_000) })),
    });
    const result = await fetchData({ source: 'bulky', limit: 20 }, registryWith(bulky));
    expect(result.truncated).toBe(true);
    expect(result.total).toBe(20);
    expect(result.records).toHaveLength(6);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThanOrEqual(maxResultBytes);
  });

  it('reports a source whose result is malformed or not JSON as a tool_error', async () => {
    const malformed: DataSource = { name: 'malformed', description: '', fetch: () => Promise.resolve({ records: 'nope' } as never) };
    await expect(fetchData({ source: 'malformed' }, registryWith(malformed))).rejects.toMatchObject({
      code: 'tool_error',
      message: 'data source "malformed" returned a malformed result',
    });
    const bigint: DataSource = { name: 'bigint', description: '', fetch: () => Promise.resolve({ records: [{ id: 1n }], total: 1 }) };
    await expect(fetchData({ source: 'bigint' }, registryWith(bigint))).rejects.toMatchObject({
      code: 'tool_error',
      message: 'the data source returned records that cannot be sent as JSON',
    });
  });

  it('gives callers copies, so editing a result does not change the sample data', async () => {
    const first = await fetchData({ id: 'paris' });
    (first.records[0] as { name: string }).name = 'Lutetia';
    expect(names(await fetchData({ id: 'paris' }))).toStrictEqual(['Paris']);
  });
});
