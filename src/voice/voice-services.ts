import type { AudioKind } from './audio-kind.js';

/** A recording checked by the route: its bytes and the container they were found to be. */
export interface Recording {
  bytes: Uint8Array;
  kind: AudioKind;
}

/** Turns a recording into text; `provider` is what GET /api/voice tells the page. */
export interface Transcriber {
  provider: 'openai-compatible' | 'gemini';
  transcribe(recording: Recording, signal?: AbortSignal): Promise<string>;
}

/** Reads text aloud; `mediaType` is what its audio is served as. */
export interface Speaker {
  provider: 'openai-compatible';
  mediaType: string;
  speak(text: string, signal?: AbortSignal): Promise<Uint8Array>;
}

/** What this server offers: null where nothing is configured (the page then uses the browser's own speech). */
export interface VoiceServices {
  transcriber: Transcriber | null;
  speaker: Speaker | null;
}
