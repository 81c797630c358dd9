import { z } from 'zod';

/** REST shapes of the voice routes: they validate, serialize and write /openapi.json. */
export const voiceOptionsSchema = z.object({
  transcription: z.enum(['openai-compatible', 'gemini']).nullable().describe('Who transcribes POST /api/transcribe; null: nobody (the page uses the browser\'s own recognition, if any)'),
  speech: z.enum(['openai-compatible']).nullable().describe('Who reads POST /api/speech aloud; null: nobody (the page uses the browser\'s speechSynthesis)'),
  max_audio_bytes: z.number().int(),
  max_audio_seconds: z.number().int(),
  max_speech_chars: z.number().int(),
});

export type VoiceOptions = z.infer<typeof voiceOptionsSchema>;

export const transcriptSchema = z.object({ text: z.string().describe('What was said; empty when nothing was') });

export type Transcript = z.infer<typeof transcriptSchema>;

/** OpenAI's own limit on one speech request's input. */
export const maxSpeechChars = 4096;

export const speechRequestSchema = z.object({
  text: z.string().trim().min(1, 'text is empty').max(maxSpeechChars, `text is over ${maxSpeechChars} characters; send it sentence by sentence`),
});
