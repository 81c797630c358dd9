import { describe, expect, it } from 'vitest';
import { limitResponseBodies } from '../../../src/tools/mcp/limit-response-body.js';

const respond = (body: string, type: string) => () => Promise.resolve(new Response(body, { headers: { 'content-type': type } }));

describe('bounded HTTP responses from an MCP server', () => {
  it('passes a body within the bound, and errors a JSON body past it', async () => {
    expect(await (await limitResponseBodies(100, respond('{"ok":true}', 'application/json'))('http://x')).text()).toBe('{"ok":true}');
    await expect((await limitResponseBodies(100, respond('x'.repeat(101), 'application/json'))('http://x')).text()).rejects.toThrow('the server sent a message larger than 100 bytes');
  });

  it('bounds each line of an event stream, not the stream', async () => {
    const events = Array.from({ length: 20 }, (_, index) => `data: ${'e'.repeat(50)}${index}\n\n`).join('');
    expect(await (await limitResponseBodies(100, respond(events, 'text/event-stream'))('http://x')).text()).toBe(events);
    await expect((await limitResponseBodies(100, respond(`data: ${'e'.repeat(200)}\n\n`, 'text/event-stream'))('http://x')).text()).rejects.toThrow('larger than 100 bytes');
  });
});
