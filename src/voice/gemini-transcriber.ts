import { generateText } from 'ai';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { ParleyError } from '../errors/index.js';
import type { Transcriber } from './voice-services.js';

export interface GeminiTranscriberOptions {
  model: LanguageModelV3;
  timeoutMs: number;
}

const instruction =
  'Transcribe this recording exactly, word for word, in the language spoken. Answer with the transcript only: ' +
  'no comments, no quotation marks, no timestamps, no speaker names. If nobody speaks, answer with nothing.';

/** Gemini's audio understanding through the AI SDK: the recording as a file part, and an instruction to transcribe it exactly. */
export function createGeminiTranscriber({ model, timeoutMs }: GeminiTranscriberOptions): Transcriber {
  return {
    provider: 'gemini',
    async transcribe({ bytes, kind }, signal) {
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        const result = await generateText({
          model,
          maxRetries: 0,
          temperature: 0,
          abortSignal: signal ? AbortSignal.any([timeout, signal]) : timeout,
          messages: [{ role: 'user', content: [{ type: 'text', text: instruction }, { type: 'file', data: bytes, mediaType: kind.mediaType }] }],
        });
        return result.text.trim();
      } catch (error) {
        if (timeout.aborted) throw new ParleyError('voice_timeout', `Gemini did not transcribe the recording within ${timeoutMs} ms (VOICE_TIMEOUT_MS).`, { cause: error });
        const status = (error as { statusCode?: unknown }).statusCode;
        const detail = typeof status === 'number' ? ` (HTTP ${status})` : '';
        throw new ParleyError('voice_error', `Gemini could not transcribe the recording${detail}; check GEMINI_API_KEY and GEMINI_MODEL.`, { cause: error });
      }
    },
  };
}
