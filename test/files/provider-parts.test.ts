import { afterEach, describe, expect, it } from 'vitest';
import { geminiRequestBody, startFakeGeminiServer } from '../fakes/fake-gemini-server.js';
import type { FakeHttpServer } from '../fakes/fake-http-server.js';
import { openAiRequestBody, startFakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { pdf, png } from './sample-files.js';
import { uploadFile } from './upload-client.js';

const image = png(8, [10, 120, 200]);
const report = pdf('Quarterly figures rose');
const notes = Buffer.from('milk\neggs\n');

const notesPart = '[File "notes.txt"]\nmilk\neggs\n\n[End of file "notes.txt"]';

/**
 * The model requests a message with files makes, read where the provider receives them: the
 * real SDK or adapter writing to a local server that speaks the provider's wire format.
 */
describe('files in model requests', () => {
  let fake: FakeHttpServer | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    await fake?.stop();
  });

  /** Uploads the three files and sends them with a question; the ids in upload order. */
  async function askWithFiles(sessionId: string): Promise<void> {
    const client = await TestClient.connect(server!.wsUrl, sessionId);
    const ids: string[] = [];
    for (const [name, bytes] of [['photo.png', image], ['report.pdf', report], ['notes.txt', notes]] as const) {
      const { status, body } = await uploadFile(server!.httpUrl, sessionId, { name, bytes });
      expect(status).toBe(201);
      ids.push(body.file_id!);
    }
    const frames = await client.ask('describe these', { attachments: ids });
    expect(frames.at(-1)).toMatchObject({ type: 'done', finish_reason: 'stop' });
    await client.close();
  }

  it('sends Gemini the image and the PDF as inline data and the text file as text', async () => {
    fake = await startFakeGeminiServer();
    server = await startServer({ GEMINI_API_KEY: 'g-test', GEMINI_BASE_URL: `${fake.url}/v1beta`, GEMINI_MODEL: 'gemini-test' });
    await askWithFiles('gemini-files');
    const [user] = geminiRequestBody(fake.requests[0]).contents;
    expect(user?.role).toBe('user');
    expect(user?.parts).toStrictEqual([
      { inlineData: { mimeType: 'image/png', data: image.toString('base64') } },
      { inlineData: { mimeType: 'application/pdf', data: report.toString('base64') } },
      { text: notesPart },
      { text: 'describe these' },
    ]);
  });

  it('sends an OpenAI-compatible server the image as a data URL and, by default off OpenAI, the PDF as its text', async () => {
    fake = await startFakeOpenAiServer();
    server = await startServer({ OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_MODEL: 'local-model' });
    await askWithFiles('openai-files');
    const user = openAiRequestBody(fake.requests[0]).messages.find((message) => message.role === 'user');
    expect(user?.content).toStrictEqual([
      { type: 'image_url', image_url: { url: `data:image/png;base64,${image.toString('base64')}` } },
      { type: 'text', text: '[Text of the PDF "report.pdf"]\nQuarterly figures rose\n[End of "report.pdf"]' },
      { type: 'text', text: notesPart },
      { type: 'text', text: 'describe these' },
    ]);
  });

  it('sends the PDF as a file part where the server reads them (OPENAI_PDF_INPUT=file)', async () => {
    fake = await startFakeOpenAiServer();
    server = await startServer({ OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_MODEL: 'gpt-test', OPENAI_PDF_INPUT: 'file' });
    await askWithFiles('openai-pdf-files');
    const user = openAiRequestBody(fake.requests[0]).messages.find((message) => message.role === 'user');
    expect(Array.isArray(user?.content) && user.content[1]).toStrictEqual({
      type: 'file',
      file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${report.toString('base64')}` },
    });
  });

  it('sends the files of earlier turns again with the history', async () => {
    fake = await startFakeOpenAiServer();
    server = await startServer({ OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_MODEL: 'local-model' });
    await askWithFiles('openai-history');
    const client = await TestClient.connect(server.wsUrl, 'openai-history');
    await client.ask('and now?');
    await client.close();
    // The title request (the first answer's transcript) may come between the two turns' requests.
    const second = fake.requests.map(openAiRequestBody).find((body) => body.messages.at(-1)?.content === 'and now?');
    const messages = second!.messages.filter((message) => message.role === 'user');
    expect(messages.map((message) => message.content)).toStrictEqual([openAiRequestBody(fake.requests[0]).messages.find((message) => message.role === 'user')?.content, 'and now?']);
  });
});
