import { createDefaultToolRegistry, type DataSource } from '../../../src/tools/default-tools.js';
import type { ToolRegistry } from '../../../src/tools/tool-registry.js';
import { RecordingLogger } from '../../fakes/recording-logger.js';

/** Parley's own tools, as the server registers them. */
export function createTestToolRegistry(logger = new RecordingLogger()): ToolRegistry {
  return createDefaultToolRegistry({ logger });
}

/** The default tools with a `sample` source that fails like an unreachable database. */
export function createBrokenDataToolRegistry(logger = new RecordingLogger()): ToolRegistry {
  const unreachable: DataSource = {
    name: 'sample',
    description: 'A source that is down.',
    sampleData: true,
    fetch: () => Promise.reject(new Error('the sample source is unreachable')),
  };
  return createDefaultToolRegistry({ logger, dataSources: [unreachable] });
}
