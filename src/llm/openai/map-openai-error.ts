import { APICallError } from '@ai-sdk/provider';
import OpenAI from 'openai';

/**
 * An error of the `openai` client as the AI SDK's APICallError, which the retry and fallback
 * logic (map-provider-error.ts) classifies for every provider alike. A cancel is passed on
 * as it came: the turn recognises it by its own signal.
 */
export function toApiCallError(error: unknown, url: string, body: unknown): unknown {
  if (!(error instanceof OpenAI.APIError) || error instanceof OpenAI.APIUserAbortError) return error;
  const status = error.status;
  return new APICallError({
    message: error.message,
    url,
    requestBodyValues: body,
    ...(status === undefined ? {} : { statusCode: status }),
    ...(error.headers ? { responseHeaders: Object.fromEntries(error.headers.entries()) } : {}),
    ...(error.error === undefined ? {} : { responseBody: JSON.stringify({ error: error.error }), data: { error: error.error } }),
    // No status: the connection failed or broke, which a new attempt may not.
    isRetryable: status === undefined || status === 408 || status === 409 || status === 429 || status >= 500,
    cause: error,
  });
}
