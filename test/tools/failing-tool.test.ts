import { afterEach, expect, it } from 'vitest';
import type { ServerFrame } from '../../src/protocol/index.js';
import { createDefaultToolRegistry, type DataSource } from '../../src/tools/default-tools.js';
import { RecordingLogger } from '../fakes/recording-logger.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

let server: RunningServer | undefined;
afterEach(() => server?.close());

it('sends the user the tool_result error of a tool that throws, and logs the tool and the error', async () => {
  const failure = new Error('the sample source is unreachable');
  const unreachable: DataSource = { name: 'sample', description: 'A source that is down.', fetch: () => Promise.reject(failure) };
  const logger = new RecordingLogger();
  server = await startServer({}, { tools: createDefaultToolRegistry({ logger, dataSources: [unreachable] }) });
  const client = await TestClient.connect(server.wsUrl, 'failing-tool');

  const frames = await client.ask('look up the weather in Paris');

  const result = frames.find((frame): frame is Extract<ServerFrame, { type: 'tool_result' }> => frame.type === 'tool_result');
  expect(result).toMatchObject({ name: 'fetch_data', error: 'fetch_data failed: the sample source is unreachable' });
  expect(frames.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });
  expect(logger.lines).toStrictEqual([{ level: 'warn', fields: { tool: 'fetch_data', err: failure }, message: 'tool failed' }]);
  await client.close();
});
