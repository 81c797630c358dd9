import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStorableText, type ServerFrame } from '../../src/protocol/index.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';

type AckFrame = Extract<ServerFrame, { type: 'ack' }>;

/** Any UTF-16 code unit (lone surrogates, NUL, controls), and the text real people send. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const hardCases = fc.constantFrom(
  '\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '😀', '👍🏽', '👨‍👩‍👧', '🇯🇵', 'e\u0301', 'שלום', 'مرحبا', '\u202e', '\u200f', '\ufeff', '\\', '"', '\n',
);
const unit = fc.oneof(codeUnit, hardCases, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
const shortText = fc.string({ unit, minLength: 1, maxLength: 300 });
/** Up to MAX_MESSAGE_CHARS, cut anywhere (inside a pair too: what a client may send). */
const longText = fc
  .tuple(fc.string({ unit, minLength: 1, maxLength: 40 }), fc.integer({ min: 1_000, max: 16_000 }))
  .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));
const messageText = fc.oneof({ weight: 3, arbitrary: shortText }, { weight: 1, arbitrary: longText }).filter((text) => text.length <= 16_000);

const runsPerDatabase = 100;
/** 16,000 lone surrogates are 96,000 bytes of JSON escapes. */
const serverSettings = { MAX_FRAME_BYTES: String(256 * 1024), MAX_MESSAGE_CHARS: '16000' };

describe.each(serverDatabaseVariants)('text from a socket to $kind and back', (variant) => {
  let database: ServerDatabase;
  let server: RunningServer;
  /** What each session's client was told was stored: its ack, and the answer it read. */
  const told = new Map<string, { user: string; assistant: string }>();
  let sessions = 0;

  beforeAll(async () => {
    database = await variant.create();
    server = await startServer({ ...database.settings, ...serverSettings });
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  it('acks any text as it is stored, stores exactly that, and gives it back in history and over HTTP', async () => {
    const figures = { inputs: 0, acked: 0, refusedOrStalled: 0, lost: 0 };
    await fc.assert(
      fc.asyncProperty(messageText, async (text) => {
        figures.inputs += 1;
        const sessionId = `text-${variant.kind}-${++sessions}`;
        const client = await TestClient.connect(server.wsUrl, sessionId);
        const frames = await client.ask(text, { id: 'm1' });
        const ack = frames.find((frame): frame is AckFrame => frame.type === 'ack');
        if (!ack) figures.refusedOrStalled += 1;
        expect(ack?.content).toBe(toStorableText(text));
        figures.acked += 1;
        const answer = toStorableText(TestClient.text(frames));
        told.set(sessionId, { user: ack!.content!, assistant: answer });

        await server.app.parley.writer.flush();
        const events = await server.app.parley.store.loadEvents(sessionId);
        const user = events.find((event) => event.event_type === 'user_message');
        if (user?.content !== ack!.content) figures.lost += 1;
        expect(user?.content).toBe(ack!.content);
        expect(events.find((event) => event.event_type === 'assistant_message')?.content).toBe(answer);
        const overHttp = await server.app.inject({ url: `/api/sessions/${sessionId}/events` });
        expect(overHttp.json<{ events: Array<{ content: string | null }> }>().events[0]?.content).toBe(ack!.content);

        await client.close();
        const resumed = await TestClient.connect(server.wsUrl, sessionId);
        expect(resumed.session.history?.map((item) => ('content' in item ? item.content : item.type))).toStrictEqual(
          events.map((event) => (event.event_type === 'user_message' || event.event_type === 'assistant_message' ? event.content : event.event_type)),
        );
        await resumed.close();
      }),
      { numRuns: runsPerDatabase },
    );
    expect(figures).toStrictEqual({ inputs: runsPerDatabase, acked: runsPerDatabase, refusedOrStalled: 0, lost: 0 });
    expect(server.app.parley.writer.poisoned).toBe(0);
    expect(server.app.parley.writer.stalledMs).toBe(0);
  }, 600_000);

  it('gives back the same history after a restart', async () => {
    await server.close();
    server = await startServer({ ...database.settings, ...serverSettings });
    expect(told.size).toBeGreaterThan(0);
    for (const [sessionId, expected] of told) {
      const client = await TestClient.connect(server.wsUrl, sessionId);
      const history = client.session.history ?? [];
      expect(history.find((item) => item.type === 'user_message')?.content).toBe(expected.user);
      expect(history.find((item) => item.type === 'assistant_message')?.content).toBe(expected.assistant);
      await client.close();
    }
  }, 600_000);

  it('keeps every session writing after a quote of a message cut inside an emoji (the reported case)', async () => {
    const quoted = await TestClient.connect(server.wsUrl, `cut-quote-${variant.kind}`);
    const first = await quoted.ask(`${'a'.repeat(198)}😀 tail`);
    expect(first[0]).toMatchObject({ type: 'ack', content: `${'a'.repeat(198)}😀 tail` });
    const second = await quoted.ask('what did I just ask?');
    expect(second.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });

    const other = await TestClient.connect(server.wsUrl, `cut-quote-other-${variant.kind}`);
    const elsewhere = await other.ask('hello from another session');
    expect(elsewhere[0]).toMatchObject({ type: 'ack', content: 'hello from another session' });
    const again = await quoted.ask('and now?');
    expect(again[0]).toMatchObject({ type: 'ack', content: 'and now?' });

    await server.app.parley.writer.flush();
    const stored = (await server.app.parley.store.loadEvents(`cut-quote-${variant.kind}`)).filter((event) => event.event_type === 'assistant_message');
    expect(stored[1]?.content).toBe(toStorableText(TestClient.text(second)));
    expect(server.app.parley.writer.poisoned).toBe(0);
    expect((await server.app.inject({ url: '/health' })).statusCode).toBe(200);
    await quoted.close();
    await other.close();
  }, 120_000);

  it('acks a NUL as U+FFFD, refuses a message id that is not well-formed, and a user_id with a NUL', async () => {
    const client = await TestClient.connect(server.wsUrl, `nul-${variant.kind}`);
    const frames = await client.ask('before\u0000after', { id: 'nul' });
    expect(frames[0]).toMatchObject({ type: 'ack', id: 'nul', content: 'before\uFFFDafter' });
    client.send({ type: 'message', content: 'hi', id: 'half \ud83d' });
    expect(await client.waitFor('error')).toMatchObject({ code: 'bad_frame', message: expect.stringMatching(/id must be well-formed/) as unknown });
    await client.close();

    const refused = TestClient.open(`${server.wsUrl}/ws/session/nul-user-${variant.kind}?user_id=a%00b`);
    expect(await refused.waitFor('error')).toMatchObject({ code: 'bad_request' });
    expect(await refused.closed()).toBe(1008);
  }, 120_000);
});
