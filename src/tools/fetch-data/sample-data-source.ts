import type { DataSource } from './data-source.js';
import { createInMemoryDataSource } from './in-memory-data-source.js';
import { sampleCities } from './sample-cities.js';

/** The built-in `sample` source, labelled as sample data so the model says so. */
export const sampleDataSource: DataSource = createInMemoryDataSource({
  name: 'sample',
  description:
    'SAMPLE DATA built into Parley, not live: 25 world cities with id, name, country, approximate population, ' +
    'timezone and made-up sample_weather (condition, temperature_c).',
  records: sampleCities,
  sampleData: true,
});
