import { ParleyError } from '../errors/index.js';
import { audioDuration } from './audio-duration.js';
import { audioKindOf } from './audio-kind.js';
import type { Recording } from './voice-services.js';

/**
 * A recording fit to send on: not empty, audio by its bytes (not by the name or type the
 * client gave), and no longer than `maxSeconds` where its container says how long it is.
 */
export async function checkRecording(bytes: Uint8Array, maxSeconds: number): Promise<Recording> {
  if (bytes.length === 0) throw new ParleyError('bad_request', 'The recording is empty.');
  const kind = await audioKindOf(bytes);
  if (kind === null) throw new ParleyError('unsupported_audio', 'This is not a recording the server takes: send WebM, Ogg, WAV, MP3, MP4/M4A or FLAC audio.');
  const seconds = audioDuration(kind.container, bytes);
  if (seconds === 0) throw new ParleyError('bad_request', 'The recording holds no sound.');
  if (seconds !== null && seconds > maxSeconds) {
    throw new ParleyError('too_large', `The recording lasts ${Math.round(seconds)} s; the most is ${maxSeconds} s (MAX_AUDIO_SECONDS).`);
  }
  return { bytes, kind };
}
