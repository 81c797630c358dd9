import { z } from 'zod';
import { ParleyError } from '../errors/index.js';
import type { Transcriber } from './voice-services.js';
import { callVoiceService } from './voice-service.js';

export interface OpenAiTranscriberOptions {
  /** Ends in /v1. */
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

/** A transcript is text; a megabyte of it is far past any recording the limits let through. */
const maxTranscriptBytes = 1024 * 1024;

const transcriptSchema = z.object({ text: z.string() });

/**
 * `POST {base}/audio/transcriptions` as OpenAI documents it: multipart with `file` (named for
 * its container, which is how OpenAI tells the format) and `model`, answered `{"text": ...}`.
 * whisper.cpp's server, faster-whisper servers and OpenAI itself speak it.
 */
export function createOpenAiTranscriber({ baseUrl, model, apiKey, timeoutMs }: OpenAiTranscriberOptions): Transcriber {
  const url = `${baseUrl.replace(/\/+$/, '')}/audio/transcriptions`;
  return {
    provider: 'openai-compatible',
    async transcribe({ bytes, kind }, signal) {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: kind.mediaType }), `recording.${kind.container}`);
      form.append('model', model);
      form.append('response_format', 'json');
      const answer = await callVoiceService(
        url,
        { body: form, headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} },
        { service: 'transcription', settingPrefix: 'STT' },
        { timeoutMs, maxAnswerBytes: maxTranscriptBytes, signal },
      );
      const parsed = transcriptSchema.safeParse(parseJson(new TextDecoder().decode(answer.bytes)));
      if (!parsed.success) throw new ParleyError('voice_error', 'The transcription service answered something that is not a transcript ({"text": ...}).');
      return parsed.data.text.trim();
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
