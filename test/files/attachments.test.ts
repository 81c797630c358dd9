import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/protocol/index.js';
import { eventually } from '../support/eventually.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { png } from './sample-files.js';
import { uploadFile } from './upload-client.js';

const tokensOf = (frames: ReadonlyArray<{ type: string }>) =>
  frames.flatMap((frame) => (frame.type === 'token' ? [(frame as unknown as { content: string }).content] : [])).join('');

describe.each(serverDatabaseVariants)('attachments on messages, on $kind', (variant) => {
  let database: ServerDatabase;
  let server: RunningServer;
  let notes: Attachment;
  let photo: Attachment;
  let elsewhere: Attachment;

  const upload = async (sessionId: string, name: string, bytes: Uint8Array): Promise<Attachment> => {
    const { status, body } = await uploadFile(server.httpUrl, sessionId, { name, bytes });
    expect(status).toBe(201);
    return { file_id: body.file_id!, name: body.name!, media_type: body.media_type!, size: body.size! };
  };

  beforeAll(async () => {
    database = await variant.create();
    server = await startServer(database.settings);
    for (const sessionId of ['with-files', 'other-session']) await (await TestClient.connect(server.wsUrl, sessionId)).close();
    notes = await upload('with-files', 'shopping.txt', Buffer.from('Shopping list\nmilk\neggs\nbread\n'));
    photo = await upload('with-files', 'photo.png', png());
    elsewhere = await upload('other-session', 'other.txt', Buffer.from('not yours'));
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  it('sends files with a message: every socket sees them, the event records them, and the offline model reads the text and says what it cannot see', async () => {
    const sender = await TestClient.connect(server.wsUrl, 'with-files');
    const watcher = await TestClient.connect(server.wsUrl, 'with-files');
    const frames = await sender.ask('what is in these?', { id: 'm1', attachments: [notes.file_id, photo.file_id] });

    expect(frames[0]).toMatchObject({ type: 'ack', id: 'm1', content: 'what is in these?', attachments: [notes, photo] });
    await expect(watcher.waitFor('ack')).resolves.toMatchObject({ attachments: [notes, photo] });
    const answer = tokensOf(frames);
    expect(answer).toContain('I read "shopping.txt": 4 lines, 5 words. It begins: "Shopping list milk eggs bread"');
    expect(answer).toContain('I cannot see "photo.png" (an image)');

    const events = (await server.app.inject({ url: '/api/sessions/with-files/events' })).json<{ events: Array<{ event_type: string; metadata: Record<string, unknown> }> }>().events;
    expect(events.find((event) => event.event_type === 'user_message')?.metadata).toStrictEqual({ message_id: 'm1', attachments: [notes, photo] });
    await sender.close();
    await watcher.close();
  });

  it('takes a message of files alone, and shows every file in the history after a reconnect', async () => {
    const sender = await TestClient.connect(server.wsUrl, 'with-files');
    const frames = await sender.ask('', { attachments: [notes.file_id] });
    expect(frames[0]).toMatchObject({ type: 'ack', content: '', attachments: [notes] });
    await sender.close();

    const again = await TestClient.connect(server.wsUrl, 'with-files');
    const users = again.session.history?.filter((item) => item.type === 'user_message');
    expect(users?.map((item) => (item.type === 'user_message' ? item.attachments : undefined))).toStrictEqual([[notes, photo], [notes]]);
    await again.close();
  });

  it('refuses unknown and foreign file ids, and too many, without running the message', async () => {
    const client = await TestClient.connect(server.wsUrl, 'with-files');
    const before = client.session.last_seq;
    for (const [id, attachments, code] of [
      ['unknown', ['file_doesnotexist'], 'bad_attachment'],
      ['foreign', [elsewhere.file_id], 'bad_attachment'],
      ['too-many', Array.from({ length: 11 }, () => notes.file_id), 'bad_frame'],
      ['not-an-id', ['../../etc/passwd'], 'bad_frame'],
    ] as const) {
      const from = client.frames.length;
      client.send({ type: 'message', id, content: 'look', attachments });
      const error = await client.waitFor('error', () => true, from);
      expect(error.code, id).toBe(code);
    }
    expect((await client.waitFor('error', (frame) => frame.id === 'foreign')).message).toContain(elsewhere.file_id);
    const from = client.frames.length;
    client.send({ type: 'message', content: '' });
    expect((await client.waitFor('error', () => true, from)).message).toContain('content must not be empty');
    expect(client.frames.some((frame) => frame.type === 'ack')).toBe(false);
    await client.close();
    const session = await TestClient.connect(server.wsUrl, 'with-files');
    expect(session.session.last_seq).toBe(before);
    await session.close();
  });

  it('names the files in the session summary', async () => {
    await eventually(async () => {
      const session = (await server.app.inject({ url: '/api/sessions/with-files' })).json<{ is_active: boolean; summary: string | null }>();
      return !session.is_active && session.summary;
    }, 30_000);
    const { summary } = (await server.app.inject({ url: '/api/sessions/with-files' })).json<{ summary: string }>();
    expect(summary).toContain('[attached: shopping.txt, photo.png]');
  });
});
