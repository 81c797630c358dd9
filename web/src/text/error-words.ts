import { formatWait } from './format.js';

/** Error codes (src/errors/error-codes.ts) in words a user understands; the server's message adds detail. */
const words: Record<string, string> = {
  bad_frame: 'The page sent something the server did not understand. Reload the page and try again.',
  bad_request: 'The server refused this address. Check the session link.',
  too_large: 'That message is too long. Shorten it and send it again.',
  unsupported_file: 'The server does not take this kind of file: images, PDFs without scripts and text files are allowed.',
  bad_attachment: 'An attached file is no longer in this session. Remove it, attach it again and send.',
  unsupported_audio: 'The server does not take this kind of audio recording.',
  voice_unavailable: 'The server has no speech service for this. Reload the page.',
  voice_error: 'The speech service failed. Try again.',
  voice_timeout: 'The speech service took too long. Try again.',
  unknown_model: 'The server no longer offers the model picked for this session. Pick another one and send again.',
  turn_in_progress: 'An answer is still being written. Stop it first, or send again to interrupt it.',
  rate_limited: 'Too many messages in a short time. Wait a moment, then try again.',
  quota_exceeded: "Today's model quota is used up. It renews at midnight UTC.",
  llm_error: 'The model failed to answer. What it wrote so far is kept; you can ask again.',
  llm_auth: 'The model provider refused the API key. The server needs a valid key.',
  llm_timeout: 'The model took too long to answer. Try again.',
  llm_unknown_model: 'The model provider does not know the configured model. The server settings need a valid model name.',
  tool_error: 'A tool failed; the model was told and carries on.',
  storage_unavailable: 'The server could not save your message because its database is not answering. Nothing was lost: try again.',
  write_failed: 'The server could not store part of this conversation; the rest is kept and you can go on.',
  unauthorized: 'The server did not accept your sign-in. Sign in again.',
  forbidden: 'You do not have access to this session: it belongs to someone else. Start a new session, or open one of yours.',
  not_found: 'This session does not exist.',
  forbidden_host: 'The server does not answer to this address. Open it by the name it was set up with.',
  shutting_down: 'The server is restarting. The page reconnects by itself.',
  slow_consumer: 'The connection fell behind and was reset. The page reconnects and catches up.',
  session_deleted: 'This conversation was deleted. Start a new session, or open another one.',
  internal: 'Something went wrong on the server. Try again.',
};

/** Codes whose words say when to try again, given the error's `retry_after_s`. */
const waitWords: Record<string, (wait: string) => string> = {
  rate_limited: (wait) => `You have sent too many messages; try again in ${wait}.`,
  quota_exceeded: (wait) => `Today's model quota is used up; it renews in ${wait}.`,
};

export function errorWords(code: string, retryAfterSeconds?: number): string {
  const withWait = waitWords[code];
  if (withWait !== undefined && retryAfterSeconds !== undefined) return withWait(formatWait(retryAfterSeconds));
  return words[code] ?? 'Something went wrong. Try again.';
}

/** Why the sign-in step is shown again, or why a pasted token was not taken: the server's reason included. */
export function signInRefusalWords(problem: { code: string; message: string }): string {
  if (problem.code === 'offline') return 'The server could not be reached. Check the connection and try again.';
  if (problem.code === 'unauthorized') return `The server refused the token: ${problem.message}`;
  return `${errorWords(problem.code)} (${problem.message})`;
}
