import { describe, expect, it } from 'vitest';
import { createDefaultToolRegistry, createInMemoryDataSource } from '../../src/tools/default-tools.js';
import { RecordingLogger } from '../fakes/recording-logger.js';

const signal = new AbortController().signal;

describe('the default tools', () => {
  it('registers calculator and fetch_data', async () => {
    const registry = createDefaultToolRegistry({ logger: new RecordingLogger() });
    expect(registry.list().map((tool) => tool.name)).toStrictEqual(['calculator', 'fetch_data']);
    expect(await registry.run('calculator', { expression: '2^10' }, signal)).toStrictEqual({ expression: '2^10', result: 1024 });
    expect(await registry.run('fetch_data', { id: 'rome' }, signal)).toMatchObject({ source: 'sample', sample_data: true, total: 1 });
  });

  it('adds the data sources it is given beside the sample', async () => {
    const books = createInMemoryDataSource({ name: 'books', description: 'Books.', records: [{ id: 'b1', title: 'Dune' }] });
    const registry = createDefaultToolRegistry({ logger: new RecordingLogger(), dataSources: [books] });
    expect(await registry.run('fetch_data', { source: 'books', query: 'dune' }, signal)).toMatchObject({
      source: 'books',
      sample_data: false,
      records: [{ id: 'b1', title: 'Dune' }],
    });
    await expect(registry.run('fetch_data', { source: 'nope' }, signal)).rejects.toMatchObject({
      message: 'unknown data source "nope"; available: sample, books',
    });
  });

  it('lets a source named "sample" replace the built-in one', async () => {
    const real = createInMemoryDataSource({ name: 'sample', description: 'Real cities.', records: [{ id: 'x', name: 'Xanadu' }] });
    const registry = createDefaultToolRegistry({ logger: new RecordingLogger(), dataSources: [real] });
    expect(await registry.run('fetch_data', {}, signal)).toStrictEqual({
      source: 'sample',
      sample_data: false,
      total: 1,
      records: [{ id: 'x', name: 'Xanadu' }],
    });
  });
});
