/**
 * The one registry of error codes. Each code has its HTTP status, whether the client can
 * go on after it (`recoverable`), and the sentence docs/protocol.md documents. Code branches
 * on `code`, never on the message. test/errors/error-codes.test.ts checks each is documented.
 */
export const errorCodes = {
  bad_frame: { status: 400, recoverable: true, meaning: 'The frame is not JSON, has an unknown type, or misses a required field, or its `regenerate` / `edit_of` names no user message the session holds.' },
  too_large: { status: 413, recoverable: true, meaning: 'The frame or message content is over the size limit.' },
  unsupported_file: { status: 415, recoverable: false, meaning: 'The uploaded file\'s content is not an allowed type (checked from its bytes, not its name), or is a PDF with scripts or one that cannot be read.' },
  bad_attachment: { status: 400, recoverable: false, meaning: 'A `message` names a file this session does not have; upload it with `POST /api/sessions/{id}/files` first. The message is not run.' },
  unknown_model: { status: 400, recoverable: true, meaning: 'A `message` names a `model` that is not among the `session` frame\'s `models` (LLM_MODELS); the message is not run.' },
  turn_in_progress: { status: 409, recoverable: true, meaning: 'A turn is running; send `cancel`, or the message with `"interrupt": true`.' },
  rate_limited: { status: 429, recoverable: true, meaning: 'Too many messages or requests, or the model provider is rate limiting; retry later.' },
  llm_error: { status: 502, recoverable: true, meaning: 'The model failed to answer; the partial answer is kept.' },
  llm_auth: { status: 502, recoverable: false, meaning: 'The model provider refused the API key: set a valid key.' },
  llm_timeout: { status: 504, recoverable: true, meaning: 'The model did not answer, or stalled, within the time limit.' },
  llm_unknown_model: { status: 502, recoverable: false, meaning: 'The provider does not know the configured model: check the model setting.' },
  unsupported_audio: { status: 415, recoverable: false, meaning: 'The upload is not audio the server takes (checked from its bytes, not its name): WebM, Ogg, WAV, MP3, MP4/M4A or FLAC.' },
  voice_unavailable: { status: 501, recoverable: false, meaning: 'No speech service is configured for this (`STT_BASE_URL` or `GEMINI_API_KEY`, `TTS_BASE_URL`); the page uses the browser\'s own speech instead.' },
  voice_error: { status: 502, recoverable: true, meaning: 'The speech service could not be reached, refused the request, or answered something that is not a transcript or audio.' },
  voice_timeout: { status: 504, recoverable: true, meaning: 'The speech service did not answer within `VOICE_TIMEOUT_MS`.' },
  tool_error: { status: 500, recoverable: true, meaning: 'A tool failed; the model is told and the turn goes on.' },
  storage_unavailable: { status: 503, recoverable: true, meaning: 'The database or Redis did not answer; nothing was lost, retry the message.' },
  write_failed: { status: 500, recoverable: true, meaning: 'The database refused one event for its data; it is logged as a `write_failed` event and the conversation goes on.' },
  unauthorized: { status: 401, recoverable: false, meaning: 'Missing or wrong credentials.' },
  forbidden: { status: 403, recoverable: false, meaning: 'Not allowed for this caller: another user\'s session (on the WebSocket), a browser page from an origin not in `ALLOWED_ORIGINS`, or a client beyond the loopback interface while no auth setting is set.' },
  quota_exceeded: { status: 429, recoverable: true, meaning: 'The user\'s model-token quota for the day (`QUOTA_TOKENS_PER_DAY`, UTC) is used up; `retry_after_s` says when it renews.' },
  bad_request: { status: 400, recoverable: true, meaning: 'The request does not match its schema.' },
  not_found: { status: 404, recoverable: false, meaning: 'No such session or route.' },
  forbidden_host: { status: 403, recoverable: false, meaning: 'The Host header names a host this server does not answer to (DNS rebinding protection); see `ALLOWED_HOSTS`.' },
  shutting_down: { status: 503, recoverable: true, meaning: 'The server is shutting down; reconnect to another instance or later.' },
  slow_consumer: { status: 503, recoverable: true, meaning: 'The client read too slowly and was disconnected; reconnect with `after` to resume.' },
  session_deleted: { status: 410, recoverable: false, meaning: 'The session was deleted (`DELETE /api/sessions/{id}`); its sockets get this, then close with 1008. The same id opened again is a new, empty session.' },
  internal: { status: 500, recoverable: true, meaning: 'An unexpected server error; it is logged.' },
} as const satisfies Record<string, { status: number; recoverable: boolean; meaning: string }>;

export type ErrorCode = keyof typeof errorCodes;
