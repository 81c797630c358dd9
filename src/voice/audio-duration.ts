import type { AudioContainer } from './audio-kind.js';
import { oggDuration } from './ogg-duration.js';
import { wavDuration } from './wav-duration.js';
import { webmDuration } from './webm-duration.js';

const readers: Partial<Record<AudioContainer, (bytes: Uint8Array) => number | null>> = {
  wav: wavDuration,
  webm: webmDuration,
  ogg: oggDuration,
};

/**
 * Seconds of sound in a recording, read from its container, for the containers browsers
 * record (WebM, Ogg) and WAV; null when the container does not say (the byte limit alone
 * bounds those).
 */
export function audioDuration(container: AudioContainer, bytes: Uint8Array): number | null {
  return readers[container]?.(bytes) ?? null;
}
