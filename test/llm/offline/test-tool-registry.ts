import { createDefaultToolRegistry, type DataSource } from '../../../src/tools/default-tools.js';
import type { ToolRegistry } from '../../../src/tools/tool-registry.js';

/** Parley's own tools, as the server registers them. */
export function createTestToolRegistry(): ToolRegistry {
  return createDefaultToolRegistry();
}

/** The default tools with a `sample` source that fails like an unreachable database. */
export function createBrokenDataToolRegistry(): ToolRegistry {
  const unreachable: DataSource = {
    name: 'sample',
    description: 'A source that is down.',
    sampleData: true,
    fetch: async () => {
      throw new Error('the sample source is unreachable');
    },
  };
  return createDefaultToolRegistry({ dataSources: [unreachable] });
}
