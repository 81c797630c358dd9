import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { TurnEvent } from '../../src/llm/turn-event.js';
import { scriptedRunner } from '../support/scripted-runner.js';
import { startServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

/** A model that answers at once and notes when it was asked and whether it was called off. */
function watchedModel() {
  const seen = { askedAt: null as number | null, aborted: false };
  const runner = scriptedRunner(async function* (signal): AsyncGenerator<TurnEvent> {
    seen.askedAt = performance.now();
    signal.addEventListener('abort', () => {
      seen.aborted = true;
    });
    for (const text of ['Hello ', 'there.']) {
      if (signal.aborted) return;
      yield { type: 'text', text };
      await sleep(5);
    }
    yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 3, completionTokens: 2 } };
  });
  return { seen, runner };
}

describe('the model call made while the message is stored', () => {
  it('asks the model before the message is durable, yet sends no token before the ack', async () => {
    const { seen, runner } = watchedModel();
    const server = await startServer({}, { runner });
    const client = await TestClient.connect(server.wsUrl, 'preemptive-slow-db');
    // A transaction holding the database for 300 ms: the message's write waits behind it.
    const held = server.app.parley.database.transaction(() => sleep(300));
    await sleep(20);
    const sentAt = performance.now();
    client.send({ type: 'message', content: 'hi', id: 'm1' });
    const ack = await client.waitFor('ack');
    const ackedAt = performance.now();
    await client.waitFor('done');
    await held;

    expect(ackedAt - sentAt).toBeGreaterThan(200);
    expect(seen.askedAt).not.toBeNull();
    expect(seen.askedAt! - sentAt).toBeLessThan(150);
    const turn = client.frames.filter((frame) => frame.seq >= ack.seq);
    expect(turn.map((frame) => frame.type)).toStrictEqual(['ack', 'token', 'token', 'done']);
    expect(TestClient.text(turn)).toBe('Hello there.');
    const events = await server.app.parley.store.loadEvents('preemptive-slow-db');
    expect(events.map((event) => event.event_type)).toStrictEqual(['user_message', 'assistant_message']);
    await client.close();
    await server.close();
  });

  it('calls the model off when the message cannot be stored, and sends none of its answer', async () => {
    const { seen, runner } = watchedModel();
    const server = await startServer({ ACK_TIMEOUT_MS: '200' }, { runner });
    const client = await TestClient.connect(server.wsUrl, 'preemptive-dead-db');
    await server.app.parley.database.close();
    client.send({ type: 'message', content: 'are you there?', id: 'lost-1' });
    expect(await client.waitFor('error')).toMatchObject({ code: 'storage_unavailable', id: 'lost-1' });
    await sleep(50);

    expect(seen.askedAt).not.toBeNull();
    expect(seen.aborted).toBe(true);
    expect(client.frames.filter((frame) => ['ack', 'token', 'done'].includes(frame.type))).toStrictEqual([]);
    await client.close();
    await server.close();
  });
});
