import type { ServerResponse } from 'node:http';
import { FakeHttpServer, type RecordedRequest } from './fake-http-server.js';
import { sendJsonError } from './fake-reply.js';
import { sineWav } from './sine-wav.js';

/** What the fake answers to one audio request. */
export type FakeAudioReply =
  /** A transcription: `{"text": ...}`. */
  | { kind: 'transcript'; text: string }
  /** Speech: a WAV tone this long (1.5 s by default). */
  | { kind: 'speech'; seconds?: number }
  /** An HTTP error with OpenAI's error body. */
  | { kind: 'error'; status: number; headers?: Record<string, string> }
  /** Headers, then nothing until the client leaves. */
  | { kind: 'stall' }
  /** 200 with a body of the service's choosing (not what was asked for). */
  | { kind: 'garbage'; body: Buffer | string; contentType: string }
  /** 200 with `bytes` bytes of audio-looking data, streamed, without a content-length. */
  | { kind: 'flood'; bytes: number };

export interface FakeAudioOptions {
  /** Replies in request order, or chosen per request; past the end, a transcript or speech as asked. */
  replies?: FakeAudioReply[] | ((request: ReceivedAudioRequest, index: number) => FakeAudioReply | undefined);
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

/** A transcription request as the fake parsed it from its multipart body. */
export interface ReceivedTranscription {
  path: '/v1/audio/transcriptions';
  model: string | null;
  responseFormat: string | null;
  file: { name: string; type: string; bytes: Buffer } | null;
  authorization: string | undefined;
}

/** A speech request as the fake read it. */
export interface ReceivedSpeech {
  path: '/v1/audio/speech';
  model: string;
  voice: string;
  input: string;
  responseFormat: string;
  authorization: string | undefined;
}

export type ReceivedAudioRequest = ReceivedTranscription | ReceivedSpeech;

/**
 * An OpenAI-compatible audio server as OpenAI documents it: `POST /v1/audio/transcriptions`
 * (multipart `file` and `model`, parsed here with the platform's own multipart reader,
 * answered `{"text": ...}`) and `POST /v1/audio/speech` (JSON `model`, `voice`, `input`,
 * `response_format`; answered with audio, WAV being the one this fake makes). Base URL for
 * clients: `${server.url}/v1`.
 */
export class FakeAudioServer extends FakeHttpServer {
  /** Each request as parsed, in order. */
  readonly received: ReceivedAudioRequest[] = [];

  constructor(readonly options: FakeAudioOptions = {}) {
    super((recorded, response, index, closed) => this.#answer(recorded, response, index, closed));
  }

  get baseUrl(): string {
    return `${this.url}/v1`;
  }

  async #answer(recorded: RecordedRequest, response: ServerResponse, index: number, closed: AbortSignal): Promise<void> {
    const authorization = header(recorded, 'authorization');
    let parsed: ReceivedAudioRequest;
    if (recorded.method === 'POST' && recorded.url === '/v1/audio/transcriptions') parsed = await parseTranscription(recorded, authorization);
    else if (recorded.method === 'POST' && recorded.url === '/v1/audio/speech') {
      const body = (recorded.body ?? {}) as Record<string, unknown>;
      parsed = {
        path: '/v1/audio/speech',
        model: String(body.model),
        voice: String(body.voice),
        input: String(body.input),
        responseFormat: typeof body.response_format === 'string' ? body.response_format : 'mp3',
        authorization,
      };
    } else {
      sendJsonError(response, 404, openAiError(`Invalid URL (${recorded.method} ${recorded.url})`, null));
      return;
    }
    this.received.push(parsed);

    if (this.options.apiKey !== undefined && authorization !== `Bearer ${this.options.apiKey}`) {
      const shown = (authorization ?? '').replace(/^Bearer /, '');
      sendJsonError(response, 401, openAiError(`Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_api_key'));
      return;
    }
    if (parsed.path === '/v1/audio/transcriptions' && (parsed.file === null || parsed.model === null)) {
      sendJsonError(response, 400, openAiError(parsed.file === null ? "'file' is a required property" : "'model' is a required property", null));
      return;
    }
    const scripted = typeof this.options.replies === 'function' ? this.options.replies(parsed, index) : this.options.replies?.[index];
    const reply = scripted ?? (parsed.path === '/v1/audio/speech' ? { kind: 'speech' as const } : { kind: 'transcript' as const, text: 'fake transcript' });
    await sendReply(reply, parsed, response, closed);
  }
}

export async function startFakeAudioServer(options: FakeAudioOptions = {}): Promise<FakeAudioServer> {
  const server = new FakeAudioServer(options);
  await server.start();
  return server;
}

async function parseTranscription(recorded: RecordedRequest, authorization: string | undefined): Promise<ReceivedTranscription> {
  const empty: ReceivedTranscription = { path: '/v1/audio/transcriptions', model: null, responseFormat: null, file: null, authorization };
  let form: FormData;
  try {
    form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': header(recorded, 'content-type') ?? '' }, body: recorded.rawBody }).formData();
  } catch {
    return empty;
  }
  const file = form.get('file');
  return {
    ...empty,
    model: typeof form.get('model') === 'string' ? (form.get('model') as string) : null,
    responseFormat: typeof form.get('response_format') === 'string' ? (form.get('response_format') as string) : null,
    file: file instanceof File ? { name: file.name, type: file.type, bytes: Buffer.from(await file.arrayBuffer()) } : null,
  };
}

async function sendReply(reply: FakeAudioReply, parsed: ReceivedAudioRequest, response: ServerResponse, closed: AbortSignal): Promise<void> {
  switch (reply.kind) {
    case 'transcript':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ text: reply.text }));
      return;
    case 'speech': {
      if (parsed.path === '/v1/audio/speech' && parsed.responseFormat !== 'wav') {
        sendJsonError(response, 400, openAiError(`This fake answers response_format wav only, not ${parsed.responseFormat}`, null));
        return;
      }
      const audio = sineWav({ seconds: reply.seconds ?? 1.5 });
      response.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(audio.length) });
      response.end(audio);
      return;
    }
    case 'error': {
      // OpenAI's 401 quotes the key it was sent.
      const message = reply.status === 401 ? `Incorrect API key provided: ${(parsed.authorization ?? '').replace(/^Bearer /, '')}.` : `The fake failed with ${reply.status}`;
      sendJsonError(response, reply.status, openAiError(message, reply.status === 401 ? 'invalid_api_key' : null), reply.headers);
      return;
    }
    case 'stall':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.flushHeaders();
      await new Promise<void>((resolve) => closed.addEventListener('abort', () => resolve(), { once: true }));
      return;
    case 'garbage':
      response.writeHead(200, { 'content-type': reply.contentType });
      response.end(reply.body);
      return;
    case 'flood': {
      response.writeHead(200, { 'content-type': 'audio/wav' });
      const chunk = Buffer.concat([sineWav({ seconds: 0.001 }), Buffer.alloc(64 * 1024 - 92)]);
      for (let sent = 0; sent < reply.bytes && !closed.aborted; sent += chunk.length) {
        if (!response.write(chunk)) await new Promise((resolve) => {
          response.once('drain', resolve);
          closed.addEventListener('abort', resolve, { once: true });
        });
      }
      response.end();
      return;
    }
  }
}

function header(recorded: RecordedRequest, name: string): string | undefined {
  const value = recorded.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function openAiError(message: string, code: string | null) {
  return { error: { message, type: 'invalid_request_error', param: null, code } };
}
