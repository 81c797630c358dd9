import { describe, expect, it } from 'vitest';
import { DataSourceRegistry } from '../../../src/tools/fetch-data/data-source-registry.js';
import { sampleDataSource } from '../../../src/tools/fetch-data/sample-data-source.js';

describe('the data source registry', () => {
  it('refuses a second source with the same name', () => {
    const registry = new DataSourceRegistry([sampleDataSource]);
    expect(() => registry.register(sampleDataSource)).toThrow('data source "sample" is already registered');
  });

  it('refuses a name the model could not type back', () => {
    expect(() => new DataSourceRegistry().register({ ...sampleDataSource, name: 'My Data' })).toThrow(
      'data source name "My Data" must be 1 to 64 lower-case letters, digits, "_" or "-"',
    );
  });

  it('says when there are no sources at all', () => {
    expect(() => new DataSourceRegistry().resolve('sample')).toThrow('unknown data source "sample"; available: none');
  });
});
