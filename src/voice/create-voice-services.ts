import type { Settings } from '../config.js';
import { createLanguageModel } from '../llm/create-language-model.js';
import { createGeminiTranscriber } from './gemini-transcriber.js';
import { createOpenAiSpeaker } from './openai-speaker.js';
import { createOpenAiTranscriber } from './openai-transcriber.js';
import type { Transcriber, VoiceServices } from './voice-services.js';

/**
 * The speech services the settings describe: transcription by STT_BASE_URL's server, else by
 * Gemini when GEMINI_API_KEY is set; reading aloud by TTS_BASE_URL's server.
 */
export function createVoiceServices(settings: Settings): VoiceServices {
  const timeoutMs = settings.VOICE_TIMEOUT_MS;
  return {
    transcriber: chooseTranscriber(settings),
    speaker: settings.TTS_BASE_URL
      ? createOpenAiSpeaker({
        baseUrl: settings.TTS_BASE_URL,
        model: settings.TTS_MODEL,
        voice: settings.TTS_VOICE,
        apiKey: settings.TTS_API_KEY,
        format: settings.TTS_FORMAT,
        timeoutMs,
        maxAudioBytes: settings.MAX_AUDIO_BYTES,
      })
      : null,
  };
}

function chooseTranscriber(settings: Settings): Transcriber | null {
  const timeoutMs = settings.VOICE_TIMEOUT_MS;
  if (settings.STT_BASE_URL) {
    return createOpenAiTranscriber({ baseUrl: settings.STT_BASE_URL, model: settings.STT_MODEL, apiKey: settings.STT_API_KEY, timeoutMs });
  }
  if (settings.GEMINI_API_KEY) return createGeminiTranscriber({ model: createLanguageModel(settings, 'gemini').model, timeoutMs });
  return null;
}
