import { z } from 'zod';
import { integer, optionalText } from '../setting-values.js';

const serviceUrl = optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL ending in /v1' }).optional());

/**
 * Speech in and out, as a shape to spread into config.ts's settings schema. Both services
 * speak OpenAI's audio API (`/v1/audio/transcriptions`, `/v1/audio/speech`); with no
 * STT_BASE_URL, transcription goes to Gemini when GEMINI_API_KEY is set.
 */
export const voiceSettingsShape = {
  STT_BASE_URL: serviceUrl,
  STT_MODEL: z.string().min(1).default('whisper-1'),
  STT_API_KEY: optionalText,
  TTS_BASE_URL: serviceUrl,
  TTS_MODEL: z.string().min(1).default('tts-1'),
  TTS_VOICE: z.string().min(1).default('alloy'),
  TTS_API_KEY: optionalText,
  /** What the speech service is asked to answer in; every one of these plays in current browsers. */
  TTS_FORMAT: z.enum(['mp3', 'opus', 'aac', 'flac', 'wav']).default('mp3'),
  MAX_AUDIO_BYTES: integer(10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  MAX_AUDIO_SECONDS: integer(300, 1, 3600),
  VOICE_TIMEOUT_MS: integer(60_000, 100, 600_000),
  /** Transcriptions and readings a user may ask for per minute (0: no limit). */
  RATE_LIMIT_VOICE_PER_MINUTE: integer(30, 0),
};

export const voiceSettingsSchema = z.object(voiceSettingsShape);

export type VoiceSettings = z.infer<typeof voiceSettingsSchema>;
