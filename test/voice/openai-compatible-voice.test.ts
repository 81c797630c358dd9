import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signWithSecret, userClaims } from '../auth/support/tokens.js';
import { startFakeAudioServer, type FakeAudioReply, type FakeAudioServer, type ReceivedSpeech, type ReceivedTranscription } from '../fakes/fake-audio-server.js';
import { sineWav } from '../fakes/sine-wav.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { pngBytes, webmRecording } from './audio-samples.js';
import { callVoice, problemOf, speak, transcribe } from './voice-client.js';

const jwtSecret = 'voice-tests-jwt-secret-of-forty-characters';
const sttKey = 'sk-stt-secret-key-0123456789abcdef';
const ttsKey = 'sk-tts-secret-key-fedcba9876543210';
const maxAudioBytes = 256 * 1024;
const perMinute = 5;

describe('voice through OpenAI-compatible speech services', () => {
  let audio: FakeAudioServer;
  let server: RunningServer;
  /** What the fake answers next; each test scripts its own. */
  let script: FakeAudioReply[] = [];
  const logLines: string[] = [];
  let users = 0;
  /** A token for a user of this test alone, so that each test has its own voice budget. */
  const freshUser = () => signWithSecret(jwtSecret, userClaims({ sub: `voice-user-${++users}` }));

  beforeAll(async () => {
    audio = await startFakeAudioServer({ replies: () => script.shift() });
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    server = await startServer({
      AUTH_JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'info',
      STT_BASE_URL: audio.baseUrl,
      STT_MODEL: 'whisper-large-v3',
      STT_API_KEY: sttKey,
      TTS_BASE_URL: audio.baseUrl,
      TTS_MODEL: 'tts-test',
      TTS_VOICE: 'nova',
      TTS_API_KEY: ttsKey,
      TTS_FORMAT: 'wav',
      MAX_AUDIO_BYTES: String(maxAudioBytes),
      MAX_AUDIO_SECONDS: '20',
      VOICE_TIMEOUT_MS: '1500',
      RATE_LIMIT_VOICE_PER_MINUTE: String(perMinute),
    }, { logStream });
  });
  afterAll(async () => {
    await server?.close();
    await audio?.stop();
  });
  beforeEach(() => {
    script = [];
  });

  describe('transcription', () => {
    it('sends a recording posted as the body on as a multipart file named for its container, with the model and the key, and answers its text', async () => {
      const recording = webmRecording({ clusterStartsMs: [0, 1000] });
      script = [{ kind: 'transcript', text: '  Turn on the lights.  ' }];
      const answer = await transcribe(server.httpUrl, recording, await freshUser(), 'audio/webm;codecs=opus');
      expect({ status: answer.status, json: answer.json }).toStrictEqual({ status: 200, json: { text: 'Turn on the lights.' } });
      const received = audio.received.at(-1) as ReceivedTranscription;
      expect(received).toStrictEqual({
        path: '/v1/audio/transcriptions',
        model: 'whisper-large-v3',
        responseFormat: 'json',
        file: { name: 'recording.webm', type: 'audio/webm', bytes: recording },
        authorization: `Bearer ${sttKey}`,
      });
    });

    it('takes the recording in a multipart `file` field too, as OpenAI\'s own API does, whatever name and type the client gave it', async () => {
      const recording = sineWav({ seconds: 1, sampleRate: 8000 });
      const form = new FormData();
      // In the OpenAI SDK's order: the file, then the other fields.
      form.append('file', new Blob([recording], { type: 'application/pdf' }), 'notes.pdf');
      form.append('model', 'ignored-by-parley');
      form.append('response_format', 'verbose_json');
      script = [{ kind: 'transcript', text: 'From a form.' }];
      const answer = await callVoice(server.httpUrl, '/api/transcribe', { method: 'POST', body: form, token: await freshUser() });
      expect({ status: answer.status, json: answer.json }).toStrictEqual({ status: 200, json: { text: 'From a form.' } });
      const received = audio.received.at(-1) as ReceivedTranscription;
      expect(received.file).toStrictEqual({ name: 'recording.wav', type: 'audio/wav', bytes: recording });
      expect(received.model).toBe('whisper-large-v3');
    });

    it('refuses an empty body, words, an image sent as audio, a silent file and a JSON body with clear problems, without calling the service', async () => {
      const token = await freshUser();
      const before = audio.received.length;
      const silent = sineWav({ seconds: 0 });
      const answers = {
        empty: problemOf(await transcribe(server.httpUrl, new Uint8Array(), token)),
        words: problemOf(await transcribe(server.httpUrl, Buffer.from('hello, this is not a recording'), token, 'audio/ogg')),
        image: problemOf(await transcribe(server.httpUrl, pngBytes, token, 'audio/wav')),
        silent: problemOf(await transcribe(server.httpUrl, silent, token, 'audio/wav')),
        json: problemOf(await callVoice(server.httpUrl, '/api/transcribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"audio":"x"}', token })),
        formWithoutFile: problemOf(await callVoice(server.httpUrl, '/api/transcribe', { method: 'POST', body: formOf({ model: 'x' }), token })),
      };
      expect(answers).toStrictEqual({
        empty: { status: 400, code: 'bad_request' },
        words: { status: 415, code: 'unsupported_audio' },
        image: { status: 415, code: 'unsupported_audio' },
        silent: { status: 400, code: 'bad_request' },
        json: { status: 400, code: 'bad_request' },
        formWithoutFile: { status: 400, code: 'bad_request' },
      });
      expect(audio.received.length).toBe(before);
    });

    it('refuses a recording over MAX_AUDIO_BYTES, as a body or in a form, and one longer than MAX_AUDIO_SECONDS', async () => {
      const token = await freshUser();
      const before = audio.received.length;
      const tooBig = sineWav({ seconds: 6, sampleRate: 24_000 });
      expect(tooBig.length).toBeGreaterThan(maxAudioBytes);
      const asBody = await transcribe(server.httpUrl, tooBig, token, 'audio/wav');
      const form = new FormData();
      form.append('file', new Blob([tooBig], { type: 'audio/wav' }), 'long.wav');
      const inForm = await callVoice(server.httpUrl, '/api/transcribe', { method: 'POST', body: form, token });
      // Small in bytes (4 kHz), but 25 s long.
      const tooLong = await transcribe(server.httpUrl, sineWav({ seconds: 25, sampleRate: 4000 }), token, 'audio/wav');
      const tooLongWebm = await transcribe(server.httpUrl, webmRecording({ clusterStartsMs: [0, 30_000] }), token);
      expect([asBody, inForm, tooLong, tooLongWebm].map(problemOf)).toStrictEqual(Array(4).fill({ status: 413, code: 'too_large' }));
      expect(inForm.json?.detail).toContain('MAX_AUDIO_BYTES');
      expect(tooLong.json?.detail).toBe('The recording lasts 25 s; the most is 20 s (MAX_AUDIO_SECONDS).');
      expect(audio.received.length).toBe(before);
    });

    it('answers a clear problem when the service fails, refuses the key, rate-limits, stalls, or answers garbage or too much, and logs no key', async () => {
      const recording = sineWav({ seconds: 0.5, sampleRate: 8000 });
      const outcomes = [];
      const replies: FakeAudioReply[] = [
        { kind: 'error', status: 500 },
        { kind: 'error', status: 401 },
        { kind: 'error', status: 429, headers: { 'retry-after': '7' } },
        { kind: 'stall' },
        { kind: 'garbage', body: '<html>Bad gateway</html>', contentType: 'text/html' },
        { kind: 'garbage', body: '{"transcript": "wrong field"}', contentType: 'application/json' },
        { kind: 'flood', bytes: 2 * 1024 * 1024 },
      ];
      for (const reply of replies) {
        script = [reply];
        const answer = await transcribe(server.httpUrl, recording, await freshUser(), 'audio/wav');
        outcomes.push({ ...problemOf(answer), type: answer.contentType, detail: answer.json?.detail });
      }
      const problem = 'application/problem+json; charset=utf-8';
      expect(outcomes).toStrictEqual([
        { status: 502, code: 'voice_error', type: problem, detail: 'The transcription service failed (HTTP 500).' },
        { status: 502, code: 'voice_error', type: problem, detail: 'The transcription service refused the API key (HTTP 401): set a valid STT_API_KEY.' },
        { status: 429, code: 'rate_limited', type: problem, detail: 'The transcription service is rate limiting; retry in 7 s.' },
        { status: 504, code: 'voice_timeout', type: problem, detail: 'The transcription service did not answer within 1500 ms (VOICE_TIMEOUT_MS).' },
        { status: 502, code: 'voice_error', type: problem, detail: 'The transcription service answered something that is not a transcript ({"text": ...}).' },
        { status: 502, code: 'voice_error', type: problem, detail: 'The transcription service answered something that is not a transcript ({"text": ...}).' },
        { status: 502, code: 'voice_error', type: problem, detail: 'The transcription service answered more than 1048576 bytes.' },
      ]);
      const logged = logLines.join('');
      expect(logged).toContain('speech service call failed');
      expect(logged).toContain('"code":"voice_timeout"');
      for (const key of [sttKey, ttsKey]) expect(logged).not.toContain(key);
    });
  });

  describe('speech', () => {
    it('reads text aloud through the speech service with its model, voice, format and key, and answers the audio', async () => {
      const answer = await speak(server.httpUrl, 'Hello there. How are you?', await freshUser());
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('audio/wav');
      expect(answer.bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
      expect(answer.bytes.length).toBe(sineWav({ seconds: 1.5 }).length);
      expect(audio.received.at(-1) as ReceivedSpeech).toStrictEqual({
        path: '/v1/audio/speech',
        model: 'tts-test',
        voice: 'nova',
        input: 'Hello there. How are you?',
        responseFormat: 'wav',
        authorization: `Bearer ${ttsKey}`,
      });
    });

    it('refuses empty, blank, overlong or missing text without calling the service', async () => {
      const token = await freshUser();
      const before = audio.received.length;
      const answers = [
        await speak(server.httpUrl, '', token),
        await speak(server.httpUrl, '   ', token),
        await speak(server.httpUrl, 'x'.repeat(4097), token),
        await speak(server.httpUrl, undefined, token),
        await speak(server.httpUrl, 42, token),
      ];
      expect(answers.map(problemOf)).toStrictEqual(Array(5).fill({ status: 400, code: 'bad_request' }));
      expect(answers[2]?.json?.detail).toContain('sentence by sentence');
      expect(audio.received.length).toBe(before);
    });

    it('answers a clear problem when the speech service answers no audio, too much, fails, refuses the key or stalls, and logs no key', async () => {
      const outcomes = [];
      const replies: FakeAudioReply[] = [
        { kind: 'garbage', body: '{"ok": true}', contentType: 'audio/mpeg' },
        { kind: 'flood', bytes: maxAudioBytes * 4 },
        { kind: 'error', status: 503 },
        { kind: 'error', status: 401 },
        { kind: 'stall' },
      ];
      for (const reply of replies) {
        script = [reply];
        const answer = await speak(server.httpUrl, 'Read this.', await freshUser());
        outcomes.push({ ...problemOf(answer), detail: answer.json?.detail });
      }
      expect(outcomes).toStrictEqual([
        { status: 502, code: 'voice_error', detail: 'The speech service answered something that is not audio.' },
        { status: 502, code: 'voice_error', detail: `The speech service answered more than ${maxAudioBytes} bytes.` },
        { status: 502, code: 'voice_error', detail: 'The speech service failed (HTTP 503).' },
        { status: 502, code: 'voice_error', detail: 'The speech service refused the API key (HTTP 401): set a valid TTS_API_KEY.' },
        { status: 504, code: 'voice_timeout', detail: 'The speech service did not answer within 1500 ms (VOICE_TIMEOUT_MS).' },
      ]);
      for (const key of [sttKey, ttsKey]) expect(logLines.join('')).not.toContain(key);
    });
  });

  describe('access', () => {
    it('tells a signed-in page which services there are, and their limits', async () => {
      const answer = await callVoice(server.httpUrl, '/api/voice', { token: await freshUser() });
      expect({ status: answer.status, json: answer.json }).toStrictEqual({
        status: 200,
        json: { transcription: 'openai-compatible', speech: 'openai-compatible', max_audio_bytes: maxAudioBytes, max_audio_seconds: 20, max_speech_chars: 4096 },
      });
    });

    it('refuses callers without a valid token, and pages from origins not allowed, before the service is called', async () => {
      const before = audio.received.length;
      const recording = sineWav({ seconds: 0.5, sampleRate: 8000 });
      const expired = await signWithSecret(jwtSecret, userClaims({ sub: 'late', exp: Math.floor(Date.now() / 1000) - 600 }));
      const forged = await signWithSecret('another-secret-of-at-least-forty-characters', userClaims({ sub: 'forger' }));
      const refusals = [
        await callVoice(server.httpUrl, '/api/voice'),
        await transcribe(server.httpUrl, recording, undefined, 'audio/wav'),
        await transcribe(server.httpUrl, recording, expired, 'audio/wav'),
        await speak(server.httpUrl, 'Hello.', forged),
      ];
      expect(refusals.map(problemOf)).toStrictEqual(Array(4).fill({ status: 401, code: 'unauthorized' }));
      const foreign = await callVoice(server.httpUrl, '/api/transcribe', {
        method: 'POST', headers: { 'content-type': 'audio/wav', origin: 'https://evil.example' }, body: recording, token: await freshUser(),
      });
      expect(problemOf(foreign)).toStrictEqual({ status: 403, code: 'forbidden' });
      expect(audio.received.length).toBe(before);
    });

    it(`lets each user make ${perMinute} voice requests a minute, then refuses with the wait, leaving other users theirs`, async () => {
      const token = await freshUser();
      const statuses = [];
      for (let index = 0; index < perMinute; index++) statuses.push((await speak(server.httpUrl, 'Again.', token)).status);
      const refused = await speak(server.httpUrl, 'Once more.', token);
      expect(statuses).toStrictEqual(Array(perMinute).fill(200));
      expect(problemOf(refused)).toStrictEqual({ status: 429, code: 'rate_limited' });
      expect(refused.json?.retry_after_s).toBeGreaterThan(0);
      expect((await speak(server.httpUrl, 'My turn.', await freshUser())).status).toBe(200);
    });
  });
});

function formOf(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}
