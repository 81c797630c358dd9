import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startBareRelay, type BareRelay } from '../../bench/bare-relay.js';
import { expectedAnswer, modelName } from '../../bench/fake-answer.js';
import { startFakeModelServer, type FakeModelServer } from '../../bench/fake-model-server.js';
import { holdIdle, runLoad } from '../../bench/load-generator.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()!();
});

async function relayWithFakeModel(pacing: { tokens: number; delayMs: number; firstTokenMs: number }): Promise<{ fake: FakeModelServer; relay: BareRelay }> {
  const fake = await startFakeModelServer();
  stops.push(() => fake.close());
  const relay = await startBareRelay({ modelBaseUrl: `${fake.url}/v1`, model: modelName(pacing) });
  stops.push(() => relay.close());
  return { fake, relay };
}

describe('the fake model', () => {
  it('streams its answer in the OpenAI chat.completion.chunk format, usage and [DONE] included', async () => {
    const fake = await startFakeModelServer();
    stops.push(() => fake.close());
    const response = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: modelName({ tokens: 2, delayMs: 1, firstTokenMs: 1 }), stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = (await response.text()).split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''));
    const chunk = (choices: unknown[], extra = {}) => ({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'fake', choices, ...extra });
    expect(events.map((event): unknown => (event === '[DONE]' ? event : JSON.parse(event)))).toStrictEqual([
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: 'tok0 ' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: 'tok1 ' }, finish_reason: null }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      chunk([], { usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } }),
      '[DONE]',
    ]);
  });

  it('takes the pacing from a [pace] directive in the last user message', async () => {
    const fake = await startFakeModelServer();
    stops.push(() => fake.close());
    const response = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: modelName({ tokens: 200, delayMs: 20, firstTokenMs: 0 }), messages: [{ role: 'user', content: 'hi [pace t3 d0 f0]' }] }),
    });
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toBe(expectedAnswer(3));
  });
});

describe('the load generator', () => {
  it('delivers every turn through the bare relay with the exact answer, in order', async () => {
    const { relay, fake } = await relayWithFakeModel({ tokens: 5, delayMs: 2, firstTokenMs: 1 });
    const result = await runLoad({ url: relay.url, sessions: 3, messages: 2, tokens: 5, sessionPrefix: 'ok' });
    expect(result.outcomes).toStrictEqual({ ok: 6, lost: 0, wrong: 0, out_of_order: 0 });
    expect(result.tokensDelivered).toBe(30);
    expect(result.tokenFrames).toBe(30);
    expect(result.ackMs.count).toBe(6);
    expect(result.firstTokenMs.count).toBe(6);
    expect(result.gapMs.count).toBe(24);
    expect(fake.requests).toBe(6);
  });

  it('counts turns wrong when the answer is not the expected text', async () => {
    const { relay } = await relayWithFakeModel({ tokens: 4, delayMs: 0, firstTokenMs: 0 });
    const result = await runLoad({ url: relay.url, sessions: 1, messages: 2, tokens: 5, sessionPrefix: 'short' });
    expect(result.outcomes).toStrictEqual({ ok: 0, lost: 0, wrong: 2, out_of_order: 0 });
    expect(result.tokensDelivered).toBe(0);
  });

  it('counts a turn lost, and the later ones, when the server closes the socket before done', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    stops.push(() => new Promise((resolve) => server.close(() => resolve())));
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'session', session_id: 'x', resumed: false, last_seq: 0 }));
      socket.on('message', () => {
        socket.send(JSON.stringify({ type: 'ack', seq: 1 }));
        socket.send(JSON.stringify({ type: 'token', seq: 2, content: 'tok0 ' }));
        socket.close();
      });
    });
    const { port } = server.address() as AddressInfo;
    const result = await runLoad({ url: `ws://127.0.0.1:${port}`, sessions: 2, messages: 3, tokens: 5, sessionPrefix: 'cut' });
    expect(result.outcomes).toStrictEqual({ ok: 0, lost: 6, wrong: 0, out_of_order: 0 });
  });

  it('holds idle sessions until released', async () => {
    const { relay } = await relayWithFakeModel({ tokens: 1, delayMs: 0, firstTokenMs: 0 });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const connected = new Promise<number>((resolve) => {
      void holdIdle({ url: relay.url, sessions: 25, sessionPrefix: 'idle' }, (count) => resolve(count), released);
    });
    expect(await connected).toBe(25);
    release();
  });
});
