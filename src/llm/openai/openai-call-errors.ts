import { APICallError } from '@ai-sdk/provider';
import { cutText } from '../../text/cut-text.js';
import { providerErrorMessage } from '../map-provider-error.js';

/** Where a request went and what it carried: every APICallError names both. */
export interface ChatRequest {
  url: string;
  body: unknown;
}

const maxQuotedBody = 500;

/**
 * A failure of an OpenAI-compatible server as the AI SDK's APICallError, the one error family
 * the retry and fallback logic classifies (map-provider-error.ts) for every provider alike.
 * Whether it may be retried is APICallError's own rule (408, 409, 429 and 5xx).
 */
export function failedStatusError(request: ChatRequest, response: { status: number; headers: Headers; text: string }): APICallError {
  const data = parseJson(response.text);
  const message = providerErrorMessage(data) ?? (response.text.trim() === '' ? 'no body' : cutText(response.text.trim(), maxQuotedBody));
  return new APICallError({
    message: `${response.status} ${message}`,
    url: request.url,
    requestBodyValues: request.body,
    statusCode: response.status,
    responseHeaders: Object.fromEntries(response.headers.entries()),
    responseBody: response.text,
    ...(data === undefined ? {} : { data }),
  });
}

/** No answer at all: the server is down, the name does not resolve, the connection was refused. */
export function connectionError(request: ChatRequest, cause: unknown): APICallError {
  return new APICallError({
    message: `Cannot connect to API: ${cause instanceof Error ? cause.message : String(cause)}`,
    url: request.url,
    requestBodyValues: request.body,
    cause,
    isRetryable: true,
  });
}

/**
 * An event of the answer's stream that carries `error` (a server failing mid-answer, after
 * its 200): no status of its own, so retryable, which counts only while nothing of the
 * answer has been delivered (open-model-stream.ts).
 */
export function streamErrorEvent(request: ChatRequest, event: { data: string; json: Record<string, unknown>; headers: Headers }): APICallError {
  return new APICallError({
    message: providerErrorMessage(event.json) ?? cutText(event.data, maxQuotedBody),
    url: request.url,
    requestBodyValues: request.body,
    responseHeaders: Object.fromEntries(event.headers.entries()),
    responseBody: event.data,
    data: event.json,
    isRetryable: true,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
