/** Error codes (src/errors/error-codes.ts) in words a user understands; the server's message adds detail. */
const words: Record<string, string> = {
  bad_frame: 'The page sent something the server did not understand. Reload the page and try again.',
  bad_request: 'The server refused this address. Check the session link.',
  too_large: 'That message is too long. Shorten it and send it again.',
  turn_in_progress: 'An answer is still being written. Stop it first, or send again to interrupt it.',
  rate_limited: 'Too many messages in a short time. Wait a moment, then try again.',
  llm_error: 'The model failed to answer. What it wrote so far is kept; you can ask again.',
  llm_auth: 'The model provider refused the API key. The server needs a valid key.',
  llm_timeout: 'The model took too long to answer. Try again.',
  llm_unknown_model: 'The model provider does not know the configured model. The server settings need a valid model name.',
  tool_error: 'A tool failed; the model was told and carries on.',
  storage_unavailable: 'The server could not save your message because its database is not answering. Nothing was lost: try again.',
  unauthorized: 'The server refused access.',
  not_found: 'This session does not exist.',
  shutting_down: 'The server is restarting. The page reconnects by itself.',
  slow_consumer: 'The connection fell behind and was reset. The page reconnects and catches up.',
  internal: 'Something went wrong on the server. Try again.',
};

export function errorWords(code: string): string {
  return words[code] ?? 'Something went wrong. Try again.';
}
