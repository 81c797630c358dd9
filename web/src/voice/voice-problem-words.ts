import type { Problem } from '../api/read-problem.js';
import { errorWords } from '../text/error-words.js';

const words: Record<string, string> = {
  too_large: 'The recording is too long. Keep it shorter.',
  unsupported_audio: 'This browser recorded a kind of audio the server does not take.',
  rate_limited: 'Too many voice requests in a short time. Wait a moment, then try again.',
};

/** A voice route's refusal in words for the person at the microphone or the speaker. */
export function voiceProblemWords(problem: Problem): string {
  return words[problem.code] ?? errorWords(problem.code);
}
