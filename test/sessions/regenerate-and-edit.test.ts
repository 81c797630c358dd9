import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnRequest } from '../../src/llm/model-runner.js';
import type { TurnEvent } from '../../src/llm/turn-event.js';
import type { HistoryItem, ServerFrame } from '../../src/protocol/index.js';
import { endless, scriptedRunner } from '../support/scripted-runner.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { describeWithRedis } from '../support/test-redis.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';

/** What the model was given, turn by turn, as the text of each item. */
const asked: string[][] = [];
let answers = 0;
const textOf = (items: readonly HistoryItem[]) => items.map((item) => ('content' in item ? item.content : item.type));

/** Answers "answer N"; a message saying "wait" streams until it is stopped. */
async function* script(signal: AbortSignal, request: TurnRequest): AsyncGenerator<TurnEvent> {
  asked.push(textOf(request.history));
  const last = request.history.at(-1);
  if (last?.type === 'user_message' && last.content.includes('wait')) {
    yield* endless(signal);
    return;
  }
  yield { type: 'text', text: `answer ${++answers}` };
  yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 5, completionTokens: 2 } };
}

let server: RunningServer;
let counter = 0;
const newId = () => `regen-${process.pid}-${++counter}`;
const historyTexts = (client: TestClient) => textOf(client.session.history ?? []);
/** The ack among a turn's frames (a `title` frame may come first). */
const ackOf = (frames: readonly ServerFrame[]) => frames.find((frame) => frame.type === 'ack');

beforeAll(async () => {
  server = await startServer({}, { runner: scriptedRunner(script) });
});
afterAll(async () => {
  await server.close();
});

describe('regenerating an answer', () => {
  it('answers the same message again, the model never sees the replaced answer, and a reconnect shows only the new one', async () => {
    const sessionId = newId();
    const client = await TestClient.connect(server.wsUrl, sessionId);
    await client.ask('first question');
    const ack = ackOf(await client.ask('second question'));
    expect(TestClient.text(client.frames)).toMatch(/answer \d+answer \d+/);
    const frames = await client.ask('', { regenerate: ack!.seq, id: 'again-1' });
    expect(ackOf(frames)).toMatchObject({ type: 'ack', id: 'again-1', content: 'second question', replaces_seq: ack!.seq });
    const newAnswer = TestClient.text(frames);
    expect(asked.at(-1)).toStrictEqual(['first question', asked.at(-1)![1], 'second question']);
    expect(asked.at(-1)![1]).toMatch(/^answer \d+$/);
    await client.close();

    const again = await TestClient.connect(server.wsUrl, sessionId);
    const shown = historyTexts(again);
    expect(shown).toStrictEqual(['first question', shown[1], 'second question', newAnswer]);
    // The log keeps every event: the replaced turn is still there, and the new message names it.
    await server.app.parley.writer.flush();
    const events = await server.app.parley.store.loadEvents(sessionId);
    expect(events.filter((event) => event.event_type === 'user_message').map((event) => [event.content, event.metadata.regenerate_of])).toStrictEqual([
      ['first question', undefined],
      ['second question', undefined],
      ['second question', ack!.seq],
    ]);
    expect(events.filter((event) => event.event_type === 'assistant_message')).toHaveLength(3);
    await again.close();
  });

  it('works after Stop: the stopped answer is replaced by a whole one', async () => {
    const sessionId = newId();
    const client = await TestClient.connect(server.wsUrl, sessionId);
    client.send({ type: 'message', content: 'please wait for it', id: 'w1' });
    const ack = await client.waitFor('ack');
    await client.waitFor('token');
    client.send({ type: 'cancel' });
    await client.waitFor('done', (frame) => frame.finish_reason === 'cancelled');
    // The script streams again for a message saying "wait": stop that one too, then edit.
    const from = client.frames.length;
    client.send({ type: 'message', regenerate: ack.seq, id: 'w2' });
    expect(await client.waitFor('ack', () => true, from)).toMatchObject({ replaces_seq: ack.seq, content: 'please wait for it' });
    client.send({ type: 'cancel' });
    await client.waitFor('done', () => true, from);
    const edited = await client.ask('answer now please', { edit_of: ack.seq, id: 'w3' });
    expect(ackOf(edited)).toMatchObject({ type: 'ack', replaces_seq: ack.seq });
    expect(edited.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });
    await client.close();
    const again = await TestClient.connect(server.wsUrl, sessionId);
    expect(historyTexts(again)).toStrictEqual(['answer now please', TestClient.text(edited)]);
    await again.close();
  });
});

describe('editing a message', () => {
  it('replaces the edited turn and every turn after it, for the model and for the history', async () => {
    const sessionId = newId();
    const client = await TestClient.connect(server.wsUrl, sessionId);
    await client.ask('one');
    const second = ackOf(await client.ask('two'));
    await client.ask('three');
    const frames = await client.ask('two, said better', { edit_of: second!.seq });
    expect(ackOf(frames)).toMatchObject({ type: 'ack', content: 'two, said better', replaces_seq: second!.seq });
    expect(asked.at(-1)).toHaveLength(3);
    expect(asked.at(-1)![0]).toBe('one');
    expect(asked.at(-1)![2]).toBe('two, said better');
    await client.close();
    const again = await TestClient.connect(server.wsUrl, sessionId);
    const shown = historyTexts(again);
    expect(shown.filter((text) => ['one', 'two', 'three', 'two, said better'].includes(text))).toStrictEqual(['one', 'two, said better']);
    await again.close();
  });

  it('is seen by another socket of the session as a replacing ack', async () => {
    const sessionId = newId();
    const writer = await TestClient.connect(server.wsUrl, sessionId);
    const reader = await TestClient.connect(server.wsUrl, sessionId);
    const first = ackOf(await writer.ask('hello'));
    await writer.ask('hi again', { edit_of: first!.seq });
    expect(await reader.waitFor('ack', (frame) => frame.replaces_seq !== undefined)).toMatchObject({ content: 'hi again', replaces_seq: first!.seq });
    await writer.close();
    await reader.close();
  });
});

describe('refusals', () => {
  it('refuses a seq that is not a user message of the session with bad_frame, and runs nothing', async () => {
    const client = await TestClient.connect(server.wsUrl, newId());
    const frames = await client.ask('hello');
    const done = frames.at(-1)!;
    client.send({ type: 'message', regenerate: (done as { seq: number }).seq, id: 'bad-1' });
    expect(await client.waitFor('error', (frame) => frame.id === 'bad-1')).toMatchObject({ code: 'bad_frame', recoverable: true });
    client.send({ type: 'message', content: 'x', edit_of: 9999, id: 'bad-2' });
    expect(await client.waitFor('error', (frame) => frame.id === 'bad-2')).toMatchObject({ code: 'bad_frame' });
    expect(client.frames.find((frame) => frame.type === 'error' && frame.id === 'bad-2')).toHaveProperty('message', 'edit_of: 9999 is not the seq of a user message of this session.');
    // Frames the schema refuses are answered before their id is read.
    client.send({ type: 'message', content: 'x', edit_of: 1, regenerate: 1, id: 'bad-3' });
    expect(await client.waitFor('error', (frame) => frame.message.includes('cannot go together'))).toMatchObject({ code: 'bad_frame' });
    client.send({ type: 'message', edit_of: 1, id: 'bad-4' });
    expect(await client.waitFor('error', (frame) => frame.message.includes('content must not be empty'))).toMatchObject({ code: 'bad_frame' });
    expect(client.frames.filter((frame) => frame.type === 'ack')).toHaveLength(1);
    await client.close();
  });

  it('answers turn_in_progress while a turn runs, and interrupts it with "interrupt": true', async () => {
    const client = await TestClient.connect(server.wsUrl, newId());
    client.send({ type: 'message', content: 'wait for me', id: 'run-1' });
    const ack = await client.waitFor('ack');
    await client.waitFor('token');
    client.send({ type: 'message', content: 'answer now instead', edit_of: ack.seq, id: 'run-2' });
    expect(await client.waitFor('error', (frame) => frame.id === 'run-2')).toMatchObject({ code: 'turn_in_progress' });
    client.send({ type: 'message', content: 'answer now instead', edit_of: ack.seq, id: 'run-3', interrupt: true });
    await client.waitFor('done', (frame) => frame.finish_reason === 'interrupted');
    expect(await client.waitFor('ack', (frame) => frame.id === 'run-3')).toMatchObject({ replaces_seq: ack.seq });
    await client.waitFor('done', (frame) => frame.finish_reason === 'stop');
    await client.close();
  });

  it('acks a resent regenerate message again as a duplicate and runs it once', async () => {
    const client = await TestClient.connect(server.wsUrl, newId());
    const ack = ackOf(await client.ask('hello'));
    await client.ask('', { regenerate: ack!.seq, id: 'once' });
    client.send({ type: 'message', regenerate: ack!.seq, id: 'once' });
    expect(await client.waitFor('ack', (frame) => frame.duplicate === true)).toMatchObject({ id: 'once' });
    await client.close();
  });
});

describeWithRedis('with several instances', () => {
  let instances: TwoInstances;
  beforeAll(async () => {
    instances = await startTwoInstances({ runner: scriptedRunner(script) });
  });
  afterAll(async () => {
    await instances?.close();
  });

  it('runs a regenerate sent to the instance that does not hold the session, and both sockets see it replace the turn', async () => {
    const sessionId = newId();
    const onA = await TestClient.connect(instances.a.wsUrl, sessionId);
    const onB = await TestClient.connect(instances.b.wsUrl, sessionId);
    const ack = ackOf(await onA.ask('on a'));
    await onB.waitFor('done');
    const frames = await onB.ask('', { regenerate: ack!.seq, id: 'from-b' });
    expect(ackOf(frames)).toMatchObject({ type: 'ack', id: 'from-b', content: 'on a', replaces_seq: ack!.seq });
    await onA.waitFor('ack', (frame) => frame.id === 'from-b');
    await onA.waitFor('done', (frame) => frame.seq > ackOf(frames)!.seq);
    onA.socket.close();
    onB.socket.close();
    const again = await TestClient.connect(instances.b.wsUrl, sessionId);
    expect(historyTexts(again)).toStrictEqual(['on a', TestClient.text(frames)]);
    await again.close();
  });
});
