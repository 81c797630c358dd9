import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../src/protocol/index.js';
import { openAiRequestBody, startFakeOpenAiServer, type FakeOpenAiServer } from '../../fakes/fake-openai-server.js';
import type { FakeReply } from '../../fakes/fake-reply.js';
import { eventually } from '../../support/eventually.js';
import { startServer, type RunningServer } from '../../support/start-server.js';
import { TestClient } from '../../support/test-client.js';
import { McpScratch } from './support/fixture-servers.js';

/** What the scripted model does when a message starts with one of these words. */
const scripts: Record<string, FakeReply[]> = {
  echo: [
    { kind: 'tool_calls', calls: [{ id: 'call_echo', name: 'local__echo', arguments: { text: 'hello' } }] },
    { kind: 'text', tokens: ['It ', 'said ', 'hello.'] },
  ],
  fail: [
    { kind: 'tool_calls', calls: [{ id: 'call_fail', name: 'local__fail', arguments: {} }] },
    { kind: 'text', tokens: ['The ', 'tool ', 'failed.'] },
  ],
  sleep: [{ kind: 'tool_calls', calls: [{ id: 'call_sleep', name: 'local__sleep', arguments: { ms: 60_000 } }] }],
};

/**
 * A whole turn as a user sees it: a WebSocket client, Parley, the OpenAI-compatible adapter
 * talking to a scripted model over HTTP, and the MCP fixture server as a child process.
 */
describe('a turn that calls an MCP tool', () => {
  let scratch: McpScratch;
  let model: FakeOpenAiServer;
  let server: RunningServer;

  beforeAll(async () => {
    scratch = await McpScratch.create();
    const toolsFile = await scratch.writeToolsFile({ local: scratch.stdioEntry() });
    // Each request continues the script its conversation's last user message named.
    model = await startFakeOpenAiServer({
      replies: (request) => {
        const { messages } = openAiRequestBody(request);
        const lastUser = [...messages].reverse().find((message) => message.role === 'user');
        const script = scripts[(typeof lastUser?.content === 'string' ? lastUser.content : '').split(' ')[0]!] ?? [];
        const afterUser = messages.slice(messages.lastIndexOf(lastUser!) + 1).filter((message) => message.role === 'assistant').length;
        return script[afterUser];
      },
    });
    server = await startServer({ OPENAI_BASE_URL: model.baseUrl, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-test', TOOLS_FILE: toolsFile, TOOLS_DENY: 'local__crash' });
    await eventually(async () => (await server.app.inject({ url: '/health' })).json<{ mcp: { servers: Array<{ state: string }> } }>().mcp.servers[0]!.state === 'ready', 60_000);
  });
  afterAll(async () => {
    await server?.close();
    await model?.stop();
    await scratch?.remove();
  });

  it('streams the call and its result as frames, stores them as events, and offers the tool with its schema as the server wrote it', async () => {
    const client = await TestClient.connect(server.wsUrl, 'mcp-echo');
    const frames = await client.ask('echo something');
    const conversation = frames.filter((frame) => frame.type === 'tool_call' || frame.type === 'tool_result').map(({ seq: _seq, ...frame }: ServerFrame & { seq?: number }) => frame);
    expect(conversation).toStrictEqual([
      { type: 'tool_call', call_id: 'call_echo', name: 'local__echo', arguments: { text: 'hello' } },
      { type: 'tool_result', call_id: 'call_echo', name: 'local__echo', result: 'echo: hello', duration_ms: expect.any(Number) as number },
    ]);
    expect(TestClient.text(frames)).toBe('It said hello.');
    expect(frames.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });

    const events = await server.app.parley.store.loadEvents('mcp-echo');
    expect(events.filter((event) => event.event_type.startsWith('tool_')).map((event) => [event.event_type, event.content, event.metadata])).toStrictEqual([
      ['tool_call', 'local__echo', { call_id: 'call_echo', name: 'local__echo', arguments: { text: 'hello' } }],
      ['tool_result', 'local__echo', { call_id: 'call_echo', name: 'local__echo', result: 'echo: hello', duration_ms: expect.any(Number) as number }],
    ]);

    const offered = openAiRequestBody(model.requests.at(-2)).tools ?? [];
    const names = offered.map((tool) => (tool.type === 'function' ? tool.function.name : ''));
    expect(names).toContain('calculator');
    expect(names).toContain('local__echo');
    expect(names).not.toContain('local__crash');
    const echo = offered.find((tool) => tool.type === 'function' && tool.function.name === 'local__echo');
    expect(echo?.type === 'function' && echo.function.parameters).toStrictEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { text: { type: 'string', description: 'What to say back' }, times: { type: 'integer', minimum: 1, maximum: 3 } },
      required: ['text'],
    });
    await client.close();
  });

  it('gives the model a failed call as an error it reads, and the turn goes on', async () => {
    const client = await TestClient.connect(server.wsUrl, 'mcp-fail');
    const frames = await client.ask('fail please');
    expect(frames.find((frame) => frame.type === 'tool_result')).toMatchObject({ name: 'local__fail', error: 'local__fail failed: the fixture failed on purpose' });
    expect(TestClient.text(frames)).toBe('The tool failed.');
    expect(frames.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });
    const toolMessage = openAiRequestBody(model.requests.at(-1)).messages.find((message) => message.role === 'tool');
    expect(JSON.stringify(toolMessage)).toContain('the fixture failed on purpose');
    await client.close();
  });

  it('stops the call when the user cancels, and the MCP server hears the cancellation', async () => {
    const client = await TestClient.connect(server.wsUrl, 'mcp-cancel');
    const from = client.frames.length;
    client.send({ type: 'message', content: 'sleep a minute' });
    await client.waitFor('tool_call', () => true, from);
    await eventually(async () => (await scratch.log()).some((entry) => entry.event === 'sleeping'));
    client.send({ type: 'cancel' });
    expect(await client.waitFor('done', () => true, from)).toMatchObject({ finish_reason: 'cancelled' });
    await eventually(async () => (await scratch.log()).some((entry) => entry.event === 'cancelled'));
    await client.close();
  });

  it('lists the server on /health without its command or environment', async () => {
    const health = (await server.app.inject({ url: '/health' })).json<{ status: string; mcp: unknown }>();
    expect(health.status).toBe('ok');
    expect(health.mcp).toStrictEqual({ servers: [{ name: 'local', transport: 'stdio', state: 'ready', tools: 9, last_error: null }] });
  });
});
