import { ParleyError } from '../errors/index.js';
import { isAudio } from './audio-kind.js';
import type { Speaker } from './voice-services.js';
import { callVoiceService } from './voice-service.js';

export type SpeechFormat = 'mp3' | 'opus' | 'aac' | 'flac' | 'wav';

export interface OpenAiSpeakerOptions {
  /** Ends in /v1. */
  baseUrl: string;
  model: string;
  voice: string;
  apiKey: string | undefined;
  format: SpeechFormat;
  timeoutMs: number;
  maxAudioBytes: number;
}

const mediaTypes: Record<SpeechFormat, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
};

/** `POST {base}/audio/speech` as OpenAI documents it: JSON `model`, `voice`, `input`, `response_format`, answered with the audio's bytes. */
export function createOpenAiSpeaker({ baseUrl, model, voice, apiKey, format, timeoutMs, maxAudioBytes }: OpenAiSpeakerOptions): Speaker {
  const url = `${baseUrl.replace(/\/+$/, '')}/audio/speech`;
  return {
    provider: 'openai-compatible',
    mediaType: mediaTypes[format],
    async speak(text, signal) {
      const answer = await callVoiceService(
        url,
        {
          body: JSON.stringify({ model, voice, input: text, response_format: format }),
          headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        },
        { service: 'speech', settingPrefix: 'TTS' },
        { timeoutMs, maxAnswerBytes: maxAudioBytes, signal },
      );
      if (!(await isAudio(answer.bytes))) throw new ParleyError('voice_error', 'The speech service answered something that is not audio.');
      return answer.bytes;
    },
  };
}
