import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geminiRequestBody, startFakeGeminiServer, type FakeGeminiServer } from '../fakes/fake-gemini-server.js';
import type { FakeReply } from '../fakes/fake-reply.js';
import { sineWav } from '../fakes/sine-wav.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { webmRecording } from './audio-samples.js';
import { callVoice, problemOf, speak, transcribe } from './voice-client.js';

/** A local port nothing listens on: a speech service that is down. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('transcription by Gemini, with no STT_BASE_URL, and a speech service that is down', () => {
  let gemini: FakeGeminiServer;
  let server: RunningServer;
  let script: FakeReply[] = [];

  beforeAll(async () => {
    gemini = await startFakeGeminiServer({ replies: () => script.shift() });
    server = await startServer({
      GEMINI_API_KEY: 'gemini-test-key-0123456789',
      GEMINI_BASE_URL: gemini.baseUrl,
      GEMINI_MODEL: 'gemini-test-audio',
      TTS_BASE_URL: `http://127.0.0.1:${await closedPort()}/v1`,
      VOICE_TIMEOUT_MS: '3000',
    });
  });
  afterAll(async () => {
    await server?.close();
    await gemini?.stop();
  });

  it('tells the page that Gemini transcribes', async () => {
    const answer = await callVoice(server.httpUrl, '/api/voice');
    expect(answer.json).toMatchObject({ transcription: 'gemini', speech: 'openai-compatible' });
  });

  it('sends the recording to Gemini as inline audio with an instruction to transcribe it exactly, and answers its text', async () => {
    const recording = webmRecording({ clusterStartsMs: [0, 1000] });
    script = [{ kind: 'text', text: 'Book a table for two. \n' }];
    const before = gemini.requests.length;
    const answer = await transcribe(server.httpUrl, recording, undefined);
    expect({ status: answer.status, json: answer.json }).toStrictEqual({ status: 200, json: { text: 'Book a table for two.' } });
    expect(gemini.requests.length).toBe(before + 1);
    const request = gemini.requests.at(-1)!;
    expect(request.url).toBe('/v1beta/models/gemini-test-audio:generateContent');
    expect(request.headers['x-goog-api-key']).toBe('gemini-test-key-0123456789');
    const parts = geminiRequestBody(request).contents[0]?.parts as Array<{ text?: string; inlineData?: { mimeType: string; data: string } }>;
    expect(parts).toHaveLength(2);
    expect(parts[0]?.text).toMatch(/^Transcribe this recording exactly, word for word/);
    expect(parts[1]?.inlineData).toStrictEqual({ mimeType: 'audio/webm', data: recording.toString('base64') });
  });

  it('answers voice_error when Gemini fails, naming the settings to check', async () => {
    script = [{ kind: 'error', status: 500 }];
    const answer = await transcribe(server.httpUrl, sineWav({ seconds: 0.5, sampleRate: 8000 }), undefined, 'audio/wav');
    expect({ ...problemOf(answer), detail: answer.json?.detail }).toStrictEqual({
      status: 502,
      code: 'voice_error',
      detail: 'Gemini could not transcribe the recording (HTTP 500); check GEMINI_API_KEY and GEMINI_MODEL.',
    });
  });

  it('answers voice_error when the speech service cannot be reached', async () => {
    const answer = await speak(server.httpUrl, 'Is anybody there?', undefined);
    expect({ ...problemOf(answer), detail: answer.json?.detail }).toStrictEqual({
      status: 502,
      code: 'voice_error',
      detail: 'The speech service could not be reached (TTS_BASE_URL).',
    });
  });
});

describe('voice with no speech service configured', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('tells the page that nothing is offered, so that it uses the browser\'s own speech', async () => {
    const answer = await callVoice(server.httpUrl, '/api/voice');
    expect(answer.json).toMatchObject({ transcription: null, speech: null });
  });

  it('answers voice_unavailable to a recording and to text to read', async () => {
    const answers = [await transcribe(server.httpUrl, sineWav({ seconds: 0.5, sampleRate: 8000 }), undefined, 'audio/wav'), await speak(server.httpUrl, 'Hello.', undefined)];
    expect(answers.map(problemOf)).toStrictEqual([{ status: 501, code: 'voice_unavailable' }, { status: 501, code: 'voice_unavailable' }]);
  });
});
