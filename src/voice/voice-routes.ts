import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ParleyError, isParleyError } from '../errors/index.js';
import type { ConnectionBuckets } from '../http/connection-rate-limit.js';
import { problemSchema } from '../http/session-schemas.js';
import { checkRecording } from './check-recording.js';
import { receiveRecording } from './receive-recording.js';
import { createVoiceRateLimit } from './voice-rate-limit.js';
import { maxSpeechChars, speechRequestSchema, transcriptSchema, voiceOptionsSchema, type VoiceOptions } from './voice-schemas.js';
import type { VoiceServices } from './voice-services.js';

export interface VoiceRoutesOptions {
  services: VoiceServices;
  maxAudioBytes: number;
  maxAudioSeconds: number;
  /** RATE_LIMIT_VOICE_PER_MINUTE, counted in `buckets` (this process's, or Redis's for every instance). */
  perMinute: number;
  buckets: ConnectionBuckets;
}

/** Room for the multipart framing around the file (boundaries, part headers, the model field). */
const multipartOverheadBytes = 64 * 1024;

const refusals = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema, 501: problemSchema, 502: problemSchema, 504: problemSchema };

/**
 * GET /api/voice (what the page may offer), POST /api/transcribe (a recording in, its text
 * out) and POST /api/speech (text in, audio out). They are guarded like every /api route (the
 * access hook has resolved the caller) and touch no session; each request that reaches a
 * speech service spends one of the caller's voice budget, since each costs a call to a model.
 */
export const voiceRoutes: FastifyPluginAsyncZod<VoiceRoutesOptions> = async (app, { services, maxAudioBytes, maxAudioSeconds, perMinute, buckets }) => {
  await app.register(fastifyMultipart);
  app.addContentTypeParser(/^(audio\/|video\/webm|application\/octet-stream)/, { parseAs: 'buffer', bodyLimit: maxAudioBytes }, (_request, body, done) => done(null, body));
  const spendBudget = createVoiceRateLimit(perMinute, buckets);
  const options: VoiceOptions = {
    transcription: services.transcriber?.provider ?? null,
    speech: services.speaker?.provider ?? null,
    max_audio_bytes: maxAudioBytes,
    max_audio_seconds: maxAudioSeconds,
    max_speech_chars: maxSpeechChars,
  };

  app.get('/api/voice', {
    schema: { tags: ['voice'], summary: 'Which speech services the server offers, and their limits', response: { 200: voiceOptionsSchema, 401: problemSchema, 403: problemSchema } },
  }, async () => options);

  app.post('/api/transcribe', {
    bodyLimit: maxAudioBytes,
    schema: {
      tags: ['voice'],
      summary: 'Transcribe a recording: the body as audio/* (or multipart with a `file` field); answers {"text": ...}',
      response: { 200: transcriptSchema, ...refusals, 413: problemSchema, 415: problemSchema },
    },
  }, async (request, reply) => {
    const transcriber = services.transcriber;
    if (transcriber === null) throw new ParleyError('voice_unavailable', 'No transcription service is configured (STT_BASE_URL or GEMINI_API_KEY).');
    const declared = Number(request.headers['content-length']);
    if (request.isMultipart() && Number.isFinite(declared) && declared > maxAudioBytes + multipartOverheadBytes) {
      throw refuseUnread(reply, tooLarge(maxAudioBytes));
    }
    let bytes: Buffer;
    try {
      bytes = await receiveRecording(request, maxAudioBytes);
    } catch (error) {
      throw refuseUnread(reply, (error as { statusCode?: unknown }).statusCode === 413 ? tooLarge(maxAudioBytes) : error);
    }
    const recording = await checkRecording(bytes, maxAudioSeconds);
    await spendBudget(request);
    const text = await reportFailure(request, 'transcription', transcriber.transcribe(recording, abortedWhenGone(reply)));
    return { text };
  });

  app.post('/api/speech', {
    schema: {
      tags: ['voice'],
      summary: 'Read text aloud: answers the audio (TTS_FORMAT, e.g. audio/mpeg) or a problem',
      body: speechRequestSchema,
    },
  }, async (request, reply) => {
    const speaker = services.speaker;
    if (speaker === null) throw new ParleyError('voice_unavailable', 'No speech service is configured (TTS_BASE_URL).');
    await spendBudget(request);
    const audio = await reportFailure(request, 'speech', speaker.speak(request.body.text, abortedWhenGone(reply)));
    return reply.type(speaker.mediaType).header('cache-control', 'no-store').send(Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
  });
};

function tooLarge(maxBytes: number): ParleyError {
  return new ParleyError('too_large', `The recording is over ${maxBytes} bytes (MAX_AUDIO_BYTES).`);
}

/** A request refused before its body was read whole: the connection is closed after the answer rather than read to its end. */
function refuseUnread(reply: FastifyReply, error: unknown): unknown {
  void reply.header('connection', 'close');
  return error;
}

/** Aborts when the client has gone before its answer, so the speech service's work is dropped too. */
function abortedWhenGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  return gone.signal;
}

/** A failed call to a speech service is logged (the code and setting, never the service's words or a key) and answered as it is. */
async function reportFailure<T>(request: FastifyRequest, service: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (!isParleyError(error)) throw error;
    request.log.warn({ service, code: error.code, detail: error.message }, 'speech service call failed');
    throw error;
  }
}
